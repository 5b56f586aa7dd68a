package dev.orchestra4j.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the cluster benchmarks print: {@code BENCH} lines, percentiles and the machine's load. */
final class BenchReport {

    private BenchReport() {}

    /** The {@code p}-th percentile (nearest rank) of {@code sorted}; NaN when it is empty. */
    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** {@code /proc/loadavg}, or "unknown" where there is none. */
    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void report(String line) {
        System.out.println("BENCH " + line);
    }
}

package dev.orchestra4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * An interleaved A/B of two builds of the benchmarks jar, for machines too noisy for JMH to tell a 10 % change (a
 * shared 2-vCPU VM, where two JMH runs minutes apart disagree by 2×). Both jars are loaded into one JVM, each in its
 * own class loader; every variant (jar × parameter value) runs in short slices, in a shuffled order each round, so
 * both builds see the same noise. Prints per variant the minimum, 25th percentile and median of wall and CPU time per
 * operation (CPU time of the calling thread) and the median bytes allocated per operation.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.orchestra4j.benchmarks.Interleave \
 *     before.jar after.jar dev.orchestra4j.benchmarks.orchestra4j.Orchestra4jPipelineBench steps 10,100
 * </pre>
 *
 * A benchmark class qualifies when it has a public no-argument constructor, a public {@code setUp()}, and a method
 * {@code once()} (or {@code run()}, {@code run(CpuTime)}, {@code invoke(CpuTime)}) that performs one operation; the
 * parameter is a field set before {@code setUp} ({@code -} for none). Several classes, comma-separated, run side by
 * side in the same shuffled rounds (a peer against Orchestra4j, say: {@code ...AgenticCycleBench,...Orchestra4jCycleBench
 * steps 10,100}); each needs the parameter field. Options: {@code --slice-ms} (100), {@code --rounds} (40), {@code
 * --warmup-s} (8), {@code --per-slice <method>} (called before each slice, e.g. {@code freshStorage}).
 */
public final class Interleave {

    private record Variant(String name, Object bench, Method once, Object[] args, Method perSlice) {}

    /** What one slice measured, per operation. */
    record Slice(double wallMicros, double cpuMicros, double bytes) {}

    private Interleave() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException(
                    "usage: Interleave <jarA> <jarB> <benchmark class> <parameter field or -> <values, comma-separated>"
                            + " [--slice-ms N] [--rounds N] [--warmup-s N] [--per-slice method]");
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 5, args.length));
        int sliceMillis = Integer.parseInt(options.getOrDefault("--slice-ms", "100"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "40"));
        int warmupSeconds = Integer.parseInt(options.getOrDefault("--warmup-s", "8"));
        List<Variant> variants = new ArrayList<>();
        for (String jar : List.of(args[0], args[1])) {
            for (String className : args[2].split(",")) {
                for (String value : args[4].split(",")) {
                    variants.add(variant(jar, className, args[3], value, options.get("--per-slice")));
                }
            }
        }
        long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (Variant v : variants) {
                slice(v, sliceMillis);
            }
        }
        Map<String, List<Slice>> measured = new LinkedHashMap<>();
        variants.forEach(v -> measured.put(v.name(), new ArrayList<>()));
        Random order = new Random(42);
        for (int round = 0; round < rounds; round++) {
            List<Variant> shuffled = new ArrayList<>(variants);
            Collections.shuffle(shuffled, order);
            for (Variant v : shuffled) {
                measured.get(v.name()).add(slice(v, sliceMillis));
            }
        }
        measured.forEach((name, slices) -> System.out.println(summary(name, slices)));
    }

    /** One line: min / p25 / median of wall and CPU µs per op, median B/op. */
    static String summary(String name, List<Slice> slices) {
        double[] wall = slices.stream().mapToDouble(Slice::wallMicros).sorted().toArray();
        double[] cpu = slices.stream().mapToDouble(Slice::cpuMicros).sorted().toArray();
        double[] bytes = slices.stream().mapToDouble(Slice::bytes).sorted().toArray();
        return String.format(
                Locale.ROOT,
                "%-56s wall min %9.3f p25 %9.3f med %9.3f | cpu min %9.3f p25 %9.3f med %9.3f us/op | %9.0f B/op",
                name,
                wall[0],
                wall[wall.length / 4],
                wall[wall.length / 2],
                cpu[0],
                cpu[cpu.length / 4],
                cpu[cpu.length / 2],
                bytes[bytes.length / 2]);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + args[i] + "' needs a value (--name value)");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static Variant variant(String jar, String className, String field, String value, String perSlice)
            throws ReflectiveOperationException, MalformedURLException {
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no jar at '" + jar + "'");
        }
        URLClassLoader loader =
                new URLClassLoader(new URL[] {path.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> type = Class.forName(className, true, loader);
        Object bench = type.getDeclaredConstructor().newInstance();
        if (!field.equals("-")) {
            Field f = type.getDeclaredField(field);
            f.setAccessible(true);
            f.set(bench, f.getType() == int.class ? Integer.valueOf(value) : value);
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader); // ServiceLoader (Jackson's modules) looks there
        try {
            type.getMethod("setUp").invoke(bench);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        Method once = operation(type);
        once.setAccessible(true);
        Object[] args = once.getParameterCount() == 0
                ? new Object[0]
                : new Object[] {
                    once.getParameterTypes()[0].getDeclaredConstructor().newInstance()
                };
        Method slice = perSlice == null ? null : type.getMethod(perSlice);
        return new Variant(
                path.getFileName() + ":" + type.getSimpleName() + ":" + field + "=" + value, bench, once, args, slice);
    }

    private static Method operation(Class<?> type) {
        for (String name : List.of("once", "run", "invoke")) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() <= 1) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException(
                type.getName() + " has no once(), run() or invoke() method performing one operation");
    }

    private static Slice slice(Variant v, int millis) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(v.bench().getClass().getClassLoader());
        try {
            if (v.perSlice() != null) {
                v.perSlice().invoke(v.bench());
            }
            long end = System.nanoTime() + millis * 1_000_000L;
            long ops = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long bytes0 = threads.getThreadAllocatedBytes(thread);
            long t0 = System.nanoTime();
            long now;
            do {
                v.once().invoke(v.bench(), v.args());
                ops++;
            } while ((now = System.nanoTime()) < end);
            long cpu1 = threads.getCurrentThreadCpuTime();
            long bytes1 = threads.getThreadAllocatedBytes(thread);
            return new Slice((now - t0) / 1e3 / ops, (cpu1 - cpu0) / 1e3 / ops, (double) (bytes1 - bytes0) / ops);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("variant " + v.name() + " failed: " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}

package dev.orchestra4j.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Points the SLF4J simple binding (in the runnable jar) at {@code <logs-root>/orchestra4j-runner.log}, with times and
 * INFO level, unless the user configured a log file already. The file rotates like Symphony's: at {@value
 * #MAX_BYTES_PROPERTY} bytes (default 10 MiB), keeping {@value #FILES_PROPERTY} files (default 5: the current one and
 * {@code .1} to {@code .4}). The simple binding writes to {@code System.err}, which becomes the rotating file, so
 * anything else the JVM prints there lands in the log too. Lines are {@code key=value} with {@code issue_id}, {@code
 * issue_identifier} and {@code session_id}.
 */
final class RunnerLogs {

    static final String MAX_BYTES_PROPERTY = "orchestra4j.runner.log.max-bytes";
    static final String FILES_PROPERTY = "orchestra4j.runner.log.files";
    static final String FILE_NAME = "orchestra4j-runner.log";

    private RunnerLogs() {}

    /**
     * Sets the logging up; throws {@link IllegalArgumentException} for a bad size or count property and {@link
     * UncheckedIOException} when the log file cannot be opened.
     */
    static void configure(Path logsRoot) {
        long maxBytes = positive(MAX_BYTES_PROPERTY, RotatingLog.DEFAULT_MAX_BYTES);
        int files = (int) Math.min(positive(FILES_PROPERTY, RotatingLog.DEFAULT_FILES), 1_000);
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.orchestra4j.core", "warn");
        if (System.getProperty("org.slf4j.simpleLogger.logFile") != null) {
            return;
        }
        Path file = logsRoot.resolve(FILE_NAME);
        RotatingLog log;
        try {
            log = new RotatingLog(file, maxBytes, files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file '" + file + "': " + e.getMessage(), e);
        }
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static long positive(String property, long fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + property + " must be a positive integer, was '" + value + "'");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

package dev.orchestra4j.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points the SLF4J simple binding (in the runnable jar) at {@code <logs-root>/orchestra4j-runner.log}, with times and
 * INFO level, unless the user configured it already. Lines are {@code key=value} with {@code issue_id}, {@code
 * issue_identifier} and {@code session_id}.
 */
final class RunnerLogs {

    private RunnerLogs() {}

    static void configure(Path logsRoot) {
        try {
            Files.createDirectories(logsRoot);
        } catch (IOException e) {
            System.err.println("orchestra4j-runner: cannot create logs root '" + logsRoot + "', logging to stderr");
            return;
        }
        setIfAbsent(
                "org.slf4j.simpleLogger.logFile",
                logsRoot.resolve("orchestra4j-runner.log").toString());
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.orchestra4j.core", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

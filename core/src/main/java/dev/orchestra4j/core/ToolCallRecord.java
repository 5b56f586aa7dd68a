package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** One regular tool call made inside an agent step. */
public record ToolCallRecord(String name, String arguments, String result, Duration duration, boolean failed) {

    public ToolCallRecord {
        requireNonNull(name, "name");
        requireNonNull(arguments, "arguments");
        requireNonNull(result, "result");
        requireNonNull(duration, "duration");
    }
}

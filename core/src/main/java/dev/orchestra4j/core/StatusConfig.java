package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Live console progress. Disabled by default; {@code StatusConfig.fromVerbosity(Verbosity.NORMAL)} prints agent
 * prefixes, parallel groups and timings to standard output; VERBOSE adds retries, settled branches, saves, and every
 * step's input ({@code ←}) and decision ({@code →}) cut to {@link #maxValueLength()} characters.
 *
 * @param verbosity how much to print, empty when disabled
 * @param out where to print
 * @param maxValueLength how many characters of a step's input and decision VERBOSE shows (at least 10, default 160)
 */
public record StatusConfig(Optional<Verbosity> verbosity, PrintStream out, int maxValueLength) {

    public StatusConfig {
        requireNonNull(verbosity, "verbosity");
        requireNonNull(out, "out");
        if (maxValueLength < 10) {
            throw new IllegalArgumentException("maxValueLength must be at least 10, was " + maxValueLength);
        }
    }

    public static StatusConfig fromVerbosity(Verbosity verbosity) {
        return new StatusConfig(Optional.of(verbosity), System.out, 160);
    }

    public static StatusConfig disabled() {
        return new StatusConfig(Optional.empty(), System.out, 160);
    }

    public StatusConfig withOut(PrintStream stream) {
        return new StatusConfig(verbosity, stream, maxValueLength);
    }

    /** The same config cutting VERBOSE inputs and outputs to {@code length} characters. */
    public StatusConfig withMaxValueLength(int length) {
        return new StatusConfig(verbosity, out, length);
    }

    public boolean isEnabled() {
        return verbosity.isPresent();
    }
}

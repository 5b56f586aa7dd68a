package dev.orchestra4j.benchmarks.orchestra4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * Counts the {@code fsync}s ({@code FileChannel.force}) this JVM makes while it runs something, through JFR's {@code
 * jdk.FileForce} event with no threshold, so that every force is recorded whatever its duration.
 */
final class Fsyncs implements AutoCloseable {

    private static final String EVENT = "jdk.FileForce";

    private final Recording recording = new Recording();

    Fsyncs() {
        recording.enable(EVENT).withoutThreshold().withoutStackTrace();
        recording.start();
    }

    /** Stops recording and returns how many fsyncs happened since this counter was made. */
    long stop() {
        recording.stop();
        try {
            Path file = Files.createTempFile("o4j-fsyncs", ".jfr");
            try {
                recording.dump(file);
                return RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals(EVENT))
                        .count();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the JFR recording of fsyncs", e);
        }
    }

    @Override
    public void close() {
        recording.close();
    }
}

package dev.orchestra4j.state.internal.file;

import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The fixed 25-byte header in front of every entry's value: magic {@code "O4JF"}, format byte, version,
 * and the write time as epoch seconds plus nanoseconds.
 */
record EntryHeader(long version, Instant updatedAt) {

    static final int LENGTH = 25;
    private static final int MAGIC = 0x4F344A46; // "O4JF"
    private static final byte FORMAT = 1;

    ByteBuffer toBuffer() {
        return ByteBuffer.allocate(LENGTH)
                .putInt(MAGIC)
                .put(FORMAT)
                .putLong(version)
                .putLong(updatedAt.getEpochSecond())
                .putInt(updatedAt.getNano())
                .flip();
    }

    /** Parses the header at the buffer's position, or throws a {@link StateException} naming the file. */
    static EntryHeader parse(ByteBuffer buffer, String key, Path file) {
        if (buffer.remaining() < LENGTH) {
            throw corrupt(key, file, "shorter than its " + LENGTH + "-byte header");
        }
        if (buffer.getInt() != MAGIC || buffer.get() != FORMAT) {
            throw corrupt(key, file, "unknown magic or format");
        }
        long version = buffer.getLong();
        long seconds = buffer.getLong();
        int nanos = buffer.getInt();
        if (version < 1 || nanos < 0 || nanos > 999_999_999) {
            throw corrupt(key, file, "invalid version or time in the header");
        }
        return new EntryHeader(version, Instant.ofEpochSecond(seconds, nanos));
    }

    private static StateException corrupt(String key, Path file, String problem) {
        return new UnreadableStateException("Corrupt entry for key '" + key + "' in file '" + file + "': " + problem);
    }
}

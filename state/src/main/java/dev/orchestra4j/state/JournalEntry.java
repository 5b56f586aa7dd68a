package dev.orchestra4j.state;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a key's append-only journal, as {@link StorageBackend#readJournal} returns it: its
 * sequence number (the first entry of a journal has sequence 1, each append continues from the last)
 * and its bytes. The byte array is copied on the way in and on the way out.
 */
public record JournalEntry(long sequence, byte[] data) {

    public JournalEntry {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, was " + sequence);
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The bytes to read, without copying them (the stream cannot change them). */
    public java.io.InputStream openStream() {
        return new java.io.ByteArrayInputStream(data);
    }

    /** The number of bytes, without copying them. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JournalEntry that && sequence == that.sequence && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "JournalEntry[sequence=" + sequence + ", " + data.length + " bytes]";
    }
}

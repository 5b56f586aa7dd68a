package dev.orchestra4j.state.internal.memory;

import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.state.internal.Checksums;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One key's journal in the heap. Not thread-safe by itself: the backend only touches it inside a {@link
 * java.util.concurrent.ConcurrentHashMap#compute} call on its key, which serializes every access.
 */
final class MemoryJournal {

    private record Stored(long sequence, byte[] data, int crc) {}

    private final ArrayDeque<Stored> entries = new ArrayDeque<>();
    private long last;
    private volatile Instant appendedAt = Instant.MIN;

    long last() {
        return last;
    }

    Instant appendedAt() {
        return appendedAt;
    }

    long append(List<byte[]> data, Instant now) {
        for (byte[] bytes : data) {
            byte[] copy = bytes.clone();
            entries.addLast(new Stored(++last, copy, Checksums.crc32c(copy)));
        }
        appendedAt = now;
        return last;
    }

    List<JournalEntry> after(long afterSequence, String key) {
        List<JournalEntry> result = new ArrayList<>();
        for (Stored stored : entries) {
            if (stored.sequence() > afterSequence) {
                if (Checksums.crc32c(stored.data()) != stored.crc()) {
                    throw new UnreadableStateException("Corrupt journal entry " + stored.sequence() + " of key '" + key
                            + "' in memory: its CRC32C checksum does not match its bytes");
                }
                result.add(new JournalEntry(stored.sequence(), stored.data()));
            }
        }
        return result;
    }

    void truncate(long throughSequence) {
        while (!entries.isEmpty() && entries.peekFirst().sequence() <= throughSequence) {
            entries.removeFirst();
        }
    }

    /** Flips one bit of the stored entry, as memory corruption would; for tests of the checksum. */
    void flipBit(long sequence) {
        for (Stored stored : entries) {
            if (stored.sequence() == sequence) {
                stored.data()[0] ^= 1;
                return;
            }
        }
        throw new IllegalArgumentException("no journal entry " + sequence);
    }
}

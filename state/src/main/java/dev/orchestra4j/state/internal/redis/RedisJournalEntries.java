package dev.orchestra4j.state.internal.redis;

import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.UnreadableStateException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The encoding of one journal entry as a Redis list element: its sequence (8 bytes), a CRC32C of the
 * sequence and the data (4 bytes), then the data.
 */
final class RedisJournalEntries {

    static final int HEADER_LENGTH = 12;

    private RedisJournalEntries() {}

    static byte[] encode(long sequence, byte[] data) {
        ByteBuffer element = ByteBuffer.allocate(HEADER_LENGTH + data.length);
        element.putLong(sequence).putInt(0).put(data);
        byte[] bytes = element.array();
        element.putInt(8, crc(bytes));
        return bytes;
    }

    /** Decodes the elements after {@code after}, checking each checksum and the numbering. */
    static List<JournalEntry> decode(List<?> elements, long after, String key, String redisKey) {
        List<JournalEntry> entries = new ArrayList<>(elements.size());
        long expected = -1;
        for (Object element : elements) {
            byte[] bytes = (byte[]) element;
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long sequence = bytes.length >= HEADER_LENGTH ? in.getLong() : expected;
            if (bytes.length < HEADER_LENGTH || in.getInt() != crc(bytes) || (expected >= 0 && sequence != expected)) {
                throw new UnreadableStateException("Corrupt journal entry " + (expected < 0 ? sequence : expected)
                        + " of key '"
                        + key + "' in Redis list '" + redisKey + "': its CRC32C checksum does not match its bytes;"
                        + " the stored value was damaged after it was written");
            }
            expected = sequence + 1;
            if (sequence > after) {
                entries.add(new JournalEntry(sequence, Arrays.copyOfRange(bytes, HEADER_LENGTH, bytes.length)));
            }
        }
        return entries;
    }

    /** The CRC32C of the sequence and the data (the checksum field itself excluded). */
    private static int crc(byte[] element) {
        CRC32C crc = new CRC32C();
        crc.update(element, 0, 8);
        crc.update(element, HEADER_LENGTH, element.length - HEADER_LENGTH);
        return (int) crc.getValue();
    }
}

package dev.orchestra4j.state.internal.file;

import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.state.internal.Checksums;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of a key's journal segment file: a 25-byte header (magic {@code "O4JJ"}, format byte, the
 * base sequence after which the entries start, the time of the last truncation in epoch microseconds,
 * and a CRC32C of these fields), then one record per entry: data length, sequence, append time, a
 * CRC32C of these three fields, a CRC32C of the data, and the data. The header is only ever written
 * whole (temporary file and rename); records are appended. A record whose header or data ends before
 * the file does is the torn tail of an append that never returned, and is ignored; a complete record
 * whose checksum fails is corruption and is reported.
 */
final class JournalFile {

    static final int HEADER_LENGTH = 25;
    static final int RECORD_HEADER_LENGTH = 28;
    private static final int MAGIC = 0x4F344A4A; // "O4JJ"
    private static final byte FORMAT = 1;

    /**
     * What a scan found: the base and last sequence, the time of the last write (append or truncation),
     * where the valid records end, where the records after {@code afterSequence} start, and those entries.
     */
    record Scan(
            long base,
            long last,
            long lastWriteMicros,
            int validEnd,
            int keptFrom,
            int lastRecordStart,
            List<JournalEntry> entries) {}

    private JournalFile() {}

    static ByteBuffer header(long base, long micros) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        header.putInt(MAGIC).put(FORMAT).putLong(base).putLong(micros);
        header.putInt(Checksums.crc32c(header.array(), 0, HEADER_LENGTH - 4));
        return header.flip();
    }

    /** The records of {@code data}, numbered {@code first}, {@code first + 1}, …, ready to append. */
    static ByteBuffer records(long first, long micros, List<byte[]> data) {
        int size = 0;
        for (byte[] bytes : data) {
            size = Math.addExact(size, RECORD_HEADER_LENGTH + bytes.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        long sequence = first;
        for (byte[] bytes : data) {
            int start = out.position();
            out.putInt(bytes.length).putLong(sequence++).putLong(micros);
            out.putInt(Checksums.crc32c(out.array(), start, 20));
            out.putInt(Checksums.crc32c(bytes)).put(bytes);
        }
        return out.flip();
    }

    /**
     * Parses a whole segment. {@code keptFrom} in the result is the offset of the first record with a
     * sequence greater than {@code after}; with {@code collect}, those entries are verified and returned,
     * otherwise only the record headers are checked (enough to find the end).
     */
    static Scan scan(byte[] file, long after, boolean collect, String key, Path path) {
        ByteBuffer in = ByteBuffer.wrap(file);
        if (file.length < HEADER_LENGTH
                || in.getInt() != MAGIC
                || in.get() != FORMAT
                || Checksums.crc32c(file, 0, HEADER_LENGTH - 4) != in.getInt(HEADER_LENGTH - 4)) {
            throw corrupt(key, path, "its header is damaged");
        }
        long base = in.getLong();
        long lastWrite = in.getLong();
        in.position(HEADER_LENGTH);
        long last = base;
        int validEnd = HEADER_LENGTH;
        int keptFrom = -1;
        int lastRecordStart = -1;
        List<JournalEntry> entries = new ArrayList<>();
        while (in.remaining() >= RECORD_HEADER_LENGTH) {
            int start = in.position();
            int length = in.getInt();
            long sequence = in.getLong();
            long micros = in.getLong();
            if (in.getInt() != Checksums.crc32c(file, start, 20) || length < 0 || sequence != last + 1) {
                if (isZeros(file, start)) {
                    break; // space allocated by a crash before the append's data reached the disk
                }
                throw corrupt(key, path, "entry " + (last + 1) + " fails its CRC32C checksum (record header)");
            }
            int dataCrc = in.getInt();
            if (in.remaining() < length) {
                break; // the torn tail of an append that never returned
            }
            if (sequence > after && keptFrom < 0) {
                keptFrom = start;
            }
            if (sequence > after && collect) {
                if (Checksums.crc32c(file, in.position(), length) != dataCrc) {
                    throw corrupt(key, path, "entry " + sequence + " fails its CRC32C checksum");
                }
                byte[] data = new byte[length];
                in.get(data);
                entries.add(new JournalEntry(sequence, data));
            } else {
                in.position(in.position() + length);
            }
            last = sequence;
            lastWrite = micros;
            validEnd = in.position();
            lastRecordStart = start;
        }
        return new Scan(base, last, lastWrite, validEnd, keptFrom < 0 ? validEnd : keptFrom, lastRecordStart, entries);
    }

    /**
     * Whether {@code bytes} (read at {@code offset}) prove that a segment still ends with sequence {@code
     * last} at {@code end}: a valid record header of that sequence whose data ends there, or, for a
     * segment without records ({@code offset} -1, bytes read at 0), a valid file header with that base.
     */
    static boolean endsWith(ByteBuffer bytes, int offset, long last, long end) {
        byte[] array = bytes.array();
        if (offset < 0) {
            return bytes.remaining() == HEADER_LENGTH
                    && bytes.getInt(0) == MAGIC
                    && bytes.getInt(HEADER_LENGTH - 4) == Checksums.crc32c(array, 0, HEADER_LENGTH - 4)
                    && bytes.getLong(5) == last
                    && end == HEADER_LENGTH;
        }
        return bytes.remaining() == RECORD_HEADER_LENGTH
                && bytes.getInt(20) == Checksums.crc32c(array, 0, 20)
                && bytes.getLong(4) == last
                && offset + RECORD_HEADER_LENGTH + (long) bytes.getInt(0) == end;
    }

    private static boolean isZeros(byte[] file, int from) {
        for (int i = from; i < file.length; i++) {
            if (file[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static StateException corrupt(String key, Path path, String problem) {
        return new UnreadableStateException("Corrupt journal of key '" + key + "' in file '" + path + "': " + problem
                + "; the stored bytes were damaged after they were written");
    }
}

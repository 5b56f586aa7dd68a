package dev.orchestra4j.state.internal;

import java.util.zip.CRC32C;

/** The CRC32C checksums stored next to journal entries and snapshots. */
public final class Checksums {

    private Checksums() {}

    /** The CRC32C of {@code data}. */
    public static int crc32c(byte[] data) {
        return crc32c(data, 0, data.length);
    }

    /** The CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
    public static int crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}

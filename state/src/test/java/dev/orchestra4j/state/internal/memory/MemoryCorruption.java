package dev.orchestra4j.state.internal.memory;

import dev.orchestra4j.state.StorageBackend;

/** Flips bits inside an in-memory backend, as memory corruption would, for the checksum tests. */
public final class MemoryCorruption {

    private MemoryCorruption() {}

    public static void flipJournalBit(StorageBackend backend, String key, long sequence) {
        ((InMemoryStorageBackend) backend).flipJournalBit(key, sequence);
    }

    public static void flipValueBit(StorageBackend backend, String key, int index) {
        ((InMemoryStorageBackend) backend).flipValueBit(key, index);
    }
}

package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.memory.MemoryCorruption;

final class InMemoryStorageBackendTest extends StorageBackendContractTest {

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return StorageBackends.inMemory(clock);
    }

    @Override
    String expectedName() {
        return "memory";
    }

    @Override
    void flipJournalBit(String key, long sequence) {
        MemoryCorruption.flipJournalBit(backend, key, sequence);
    }

    @Override
    void flipValueBit(String key, int index) {
        MemoryCorruption.flipValueBit(backend, key, index);
    }
}

package dev.orchestra4j.state;

final class InMemoryStorageBackendTest extends StorageBackendContractTest {

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return StorageBackends.inMemory(clock);
    }

    @Override
    String expectedName() {
        return "memory";
    }
}

package dev.orchestra4j.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.internal.memory.MemoryCorruption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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

    @Test
    void list_afterConcurrentWritesAndDeletesOfSameKeys_matchesStoredKeys() throws Exception {
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                Random random = new Random(t);
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String key = "k/" + random.nextInt(16);
                        switch (random.nextInt(3)) {
                            case 0 -> backend.write(key, bytes("v"));
                            case 1 -> backend.compareAndSet(key, 0, bytes("v"));
                            default -> backend.delete(key);
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(1, TimeUnit.MINUTES);
            }
        }

        List<String> stored = IntStream.range(0, 16)
                .mapToObj(k -> "k/" + k)
                .filter(key -> backend.read(key).isPresent())
                .sorted()
                .toList();
        assertThat(backend.list("k/")).isEqualTo(stored);
    }
}

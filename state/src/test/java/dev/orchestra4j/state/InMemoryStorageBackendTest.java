package dev.orchestra4j.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.internal.memory.MemoryCorruption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
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

    /**
     * The fenced write reads the clock inside its atomic section (to stamp the value): an append of the key started
     * right then must be held up until the write is done — on the journal's own map entry, not merely on the value's —
     * and then go through. If the fence were checked before the write (as the SPI's default does), the append would
     * complete while the write is still under way.
     */
    @Test
    void fencedCompareAndSet_appendStartedDuringTheWrite_heldUpUntilTheWriteIsDone() throws Exception {
        TriggerClock triggerClock = new TriggerClock(START);
        StorageBackend memory = StorageBackends.inMemory(triggerClock);
        memory.write("j", bytes("snapshot 1"));
        memory.appendJournal("j", 0, List.of(bytes("a")));
        CompletableFuture<Long> appended = new CompletableFuture<>();
        boolean[] doneDuringTheWrite = {false};
        triggerClock.onNextRead(() -> {
            Thread appender = Thread.ofPlatform().start(() -> {
                try {
                    appended.complete(memory.appendJournal("j", 1, List.of(bytes("claim"))));
                } catch (Throwable e) {
                    appended.completeExceptionally(e);
                }
            });
            doneDuringTheWrite[0] = !heldUpOnTheJournal(appender, appended);
        });

        OptionalLong written = memory.compareAndSet("j", 1, bytes("snapshot 2"), 1);

        assertThat(doneDuringTheWrite[0])
                .as("the append went through during the write")
                .isFalse();
        assertThat(written).hasValue(2);
        assertThat(appended.get(1, TimeUnit.MINUTES)).isEqualTo(2);
    }

    /** Spins until {@code appender} blocks in the journal map's compute (true) or its append is done (false). */
    private static boolean heldUpOnTheJournal(Thread appender, CompletableFuture<Long> appended) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!appended.isDone()) {
            if (appender.getState() == Thread.State.BLOCKED
                    && Arrays.stream(appender.getStackTrace())
                            .anyMatch(f -> f.getMethodName().equals("appendJournal"))) {
                return true;
            }
            assertThat(System.nanoTime())
                    .as("the append neither blocked nor ended")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
        return false;
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

package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link StorageBackend} must show. One subclass per implementation supplies a fresh,
 * isolated backend stamped with the given clock.
 */
abstract class StorageBackendContractTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(START);
    StorageBackend backend;

    /** A backend that sees no keys from other tests and stamps entries with {@code clock}. */
    abstract StorageBackend createBackend(MutableClock clock) throws Exception;

    abstract String expectedName();

    @BeforeEach
    void openBackend() throws Exception {
        backend = createBackend(clock);
    }

    @AfterEach
    void closeBackend() {
        for (String key : backend.list("")) {
            backend.delete(key);
        }
        backend.close();
    }

    @Test
    void write_newKey_readReturnsValueVersionOneAndClockTime() {
        long version = backend.write("a/b", bytes("hello"));

        Optional<StoredValue> read = backend.read("a/b");
        assertThat(version).isEqualTo(1);
        assertThat(read).isPresent();
        assertThat(read.get().value()).isEqualTo(bytes("hello"));
        assertThat(read.get().version()).isEqualTo(1);
        assertThat(read.get().updatedAt()).isEqualTo(START);
    }

    @Test
    void write_existingKey_replacesValueAndIncrementsVersion() {
        backend.write("k", bytes("one"));
        clock.advance(Duration.ofMinutes(1));

        long version = backend.write("k", bytes("two"));

        StoredValue read = backend.read("k").orElseThrow();
        assertThat(version).isEqualTo(2);
        assertThat(read.value()).isEqualTo(bytes("two"));
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void read_missingKey_isEmpty() {
        assertThat(backend.read("missing/key")).isEmpty();
    }

    @Test
    void write_emptyValue_roundTrips() {
        backend.write("empty", new byte[0]);

        assertThat(backend.read("empty").orElseThrow().value()).isEmpty();
    }

    @Test
    void storedValue_callerMutatesArrays_storedBytesUnchanged() {
        byte[] value = bytes("abc");
        backend.write("k", value);
        value[0] = 'X';

        byte[] read = backend.read("k").orElseThrow().value();
        read[1] = 'Y';

        assertThat(backend.read("k").orElseThrow().value()).isEqualTo(bytes("abc"));
    }

    @Test
    void compareAndSet_expectedZeroOnMissingKey_createsVersionOne() {
        OptionalLong version = backend.compareAndSet("new", 0, bytes("v"));

        assertThat(version).hasValue(1);
        assertThat(backend.read("new").orElseThrow().value()).isEqualTo(bytes("v"));
    }

    @Test
    void compareAndSet_expectedZeroOnExistingKey_conflictsAndKeepsValue() {
        backend.write("k", bytes("first"));

        OptionalLong version = backend.compareAndSet("k", 0, bytes("second"));

        assertThat(version).isEmpty();
        assertThat(backend.read("k").orElseThrow().value()).isEqualTo(bytes("first"));
    }

    @Test
    void compareAndSet_matchingVersion_writesNextVersion() {
        backend.write("k", bytes("first"));
        clock.advance(Duration.ofSeconds(5));

        OptionalLong version = backend.compareAndSet("k", 1, bytes("second"));

        StoredValue read = backend.read("k").orElseThrow();
        assertThat(version).hasValue(2);
        assertThat(read.value()).isEqualTo(bytes("second"));
        assertThat(read.updatedAt()).isEqualTo(START.plusSeconds(5));
    }

    @Test
    void compareAndSet_staleVersion_conflictsAndKeepsValue() {
        backend.write("k", bytes("first"));
        backend.write("k", bytes("second"));

        OptionalLong version = backend.compareAndSet("k", 1, bytes("stale"));

        StoredValue read = backend.read("k").orElseThrow();
        assertThat(version).isEmpty();
        assertThat(read.value()).isEqualTo(bytes("second"));
        assertThat(read.version()).isEqualTo(2);
    }

    @Test
    void compareAndSet_nonZeroVersionOnMissingKey_conflicts() {
        assertThat(backend.compareAndSet("missing", 3, bytes("v"))).isEmpty();
        assertThat(backend.read("missing")).isEmpty();
    }

    @Test
    void delete_existingKey_trueThenFalseAndGone() {
        backend.write("k", bytes("v"));

        assertThat(backend.delete("k")).isTrue();
        assertThat(backend.delete("k")).isFalse();
        assertThat(backend.read("k")).isEmpty();
        assertThat(backend.list("")).doesNotContain("k");
    }

    @Test
    void delete_thenCompareAndSetZero_recreatesKey() {
        backend.write("k", bytes("old"));
        backend.delete("k");

        assertThat(backend.compareAndSet("k", 0, bytes("new"))).hasValue(1);
        assertThat(backend.read("k").orElseThrow().value()).isEqualTo(bytes("new"));
    }

    @Test
    void compareAndDelete_matchingVersion_deletes() {
        backend.write("k", bytes("a"));
        backend.write("k", bytes("b"));

        assertThat(backend.compareAndDelete("k", 2)).isTrue();
        assertThat(backend.read("k")).isEmpty();
        assertThat(backend.compareAndDelete("k", 2)).isFalse();
    }

    @Test
    void compareAndDelete_staleVersion_keepsEntry() {
        backend.write("k", bytes("a"));
        backend.write("k", bytes("b"));

        assertThat(backend.compareAndDelete("k", 1)).isFalse();
        assertThat(backend.read("k").orElseThrow().value()).isEqualTo(bytes("b"));
        assertThatThrownBy(() -> backend.compareAndDelete("k", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectedVersion must be positive, was 0");
    }

    @Test
    void list_prefix_returnsOnlyMatchingKeysSorted() {
        for (String key : List.of("s/b", "s/a/2", "s/a/1", "t/a", "s:x", "sessions/x", "s/A")) {
            backend.write(key, bytes(key));
        }

        assertThat(backend.list("s/")).containsExactly("s/A", "s/a/1", "s/a/2", "s/b");
        assertThat(backend.list("s/a")).containsExactly("s/a/1", "s/a/2");
        assertThat(backend.list("s")).containsExactly("s/A", "s/a/1", "s/a/2", "s/b", "s:x", "sessions/x");
        assertThat(backend.list("")).containsExactly("s/A", "s/a/1", "s/a/2", "s/b", "s:x", "sessions/x", "t/a");
        assertThat(backend.list("nothing/")).isEmpty();
    }

    @Test
    void list_keyAndChildKeyBothExist_bothListedAndReadable() {
        backend.write("a", bytes("parent"));
        backend.write("a/b", bytes("child"));

        assertThat(backend.list("a")).containsExactly("a", "a/b");
        assertThat(backend.read("a").orElseThrow().value()).isEqualTo(bytes("parent"));
        assertThat(backend.read("a/b").orElseThrow().value()).isEqualTo(bytes("child"));
    }

    @Test
    void expireOlderThan_entriesWrittenBeforeCutoff_deletedAndCounted() {
        backend.write("old/1", bytes("a"));
        backend.write("old/2", bytes("b"));
        clock.advance(Duration.ofHours(2));
        backend.write("fresh", bytes("c"));
        backend.write("old/2", bytes("rewritten"));
        clock.advance(Duration.ofMinutes(30));

        int expired = backend.expireOlderThan(Duration.ofHours(1));

        assertThat(expired).isEqualTo(1);
        assertThat(backend.list("")).containsExactly("fresh", "old/2");
        assertThat(backend.expireOlderThan(Duration.ofHours(1))).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a//b", "a/./b", "x/..", "a/", "", "a b", "a\\b", "é", "a/../../etc"})
    void anyOperation_invalidKey_rejectedNamingKey(String key) {
        assertThatThrownBy(() -> backend.write(key, bytes("v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + key + "'");
        assertThatThrownBy(() -> backend.read(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.compareAndSet(key, 0, bytes("v")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.compareAndDelete(key, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(backend.list("")).isEmpty();
    }

    @Test
    void write_keyOrSegmentLongerThanLimit_rejected() {
        String longest = ("k".repeat(127) + "/").repeat(3) + "k".repeat(128);

        assertThatThrownBy(() -> backend.write(longest + "k", bytes("v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 512");
        assertThatThrownBy(() -> backend.write("s".repeat(201), bytes("v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment is longer than 200");
        assertThat(backend.write(longest, bytes("v"))).isEqualTo(1);
        assertThat(backend.write("s".repeat(200), bytes("v"))).isEqualTo(1);
        assertThat(backend.list("")).containsExactly(longest, "s".repeat(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "/x", "a//", "a/../"})
    void list_invalidPrefix_rejected(String prefix) {
        assertThatThrownBy(() -> backend.list(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + prefix + "'");
    }

    @Test
    void write_largeValue_roundTripsExactly() {
        byte[] large = new byte[6 * 1024 * 1024];
        new Random(42).nextBytes(large);

        backend.write("large", large);
        OptionalLong second = backend.compareAndSet("large", 1, large);

        assertThat(second).hasValue(2);
        assertThat(backend.read("large").orElseThrow().value()).isEqualTo(large);
    }

    @Test
    void compareAndSet_concurrentIncrements_noLostUpdate() throws Exception {
        int threads = 8;
        int attemptsPerThread = 20;
        backend.write("counter", bytes("0"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return incrementRepeatedly(attemptsPerThread);
                }));
            }
            start.countDown();
            int successes = 0;
            for (Future<Integer> result : results) {
                successes += result.get(2, TimeUnit.MINUTES);
            }
            StoredValue last = backend.read("counter").orElseThrow();
            assertThat(successes).isPositive();
            assertThat(new String(last.value(), UTF_8)).isEqualTo(Integer.toString(successes));
            assertThat(last.version()).isEqualTo(successes + 1L);
        }
    }

    @Test
    void name_isShortBackendName() {
        assertThat(backend.name()).isEqualTo(expectedName());
    }

    private int incrementRepeatedly(int attempts) {
        int successes = 0;
        for (int i = 0; i < attempts; i++) {
            StoredValue current = backend.read("counter").orElseThrow();
            int next = Integer.parseInt(new String(current.value(), UTF_8)) + 1;
            if (backend.compareAndSet("counter", current.version(), bytes(Integer.toString(next)))
                    .isPresent()) {
                successes++;
            }
        }
        return successes;
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}

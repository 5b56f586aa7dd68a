package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** Keys the journal tests may leave with a journal only; deleted after each test. */
    static final List<String> JOURNAL_KEYS = List.of("j", "j/2", "old", "fresh");

    final MutableClock clock = new MutableClock(START);
    StorageBackend backend;

    /** A backend that sees no keys from other tests and stamps entries with {@code clock}. */
    abstract StorageBackend createBackend(MutableClock clock) throws Exception;

    abstract String expectedName();

    /** Flips one bit of the stored bytes of a journal entry, behind the backend's back. */
    abstract void flipJournalBit(String key, long sequence) throws Exception;

    /** Flips one bit of a stored value at {@code index}, behind the backend's back. */
    abstract void flipValueBit(String key, int index) throws Exception;

    @BeforeEach
    void openBackend() throws Exception {
        backend = createBackend(clock);
    }

    @AfterEach
    void closeBackend() {
        for (String key : backend.list("")) {
            backend.delete(key);
        }
        for (String key : JOURNAL_KEYS) {
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
    void list_afterEveryKindOfWriteAndRemoval_showsExactlyTheKeysThatHoldAValue() {
        backend.write("old", bytes("1"));
        clock.advance(Duration.ofHours(2));
        backend.write("w", bytes("1"));
        backend.compareAndSet("cas", 0, bytes("1"));
        backend.appendJournal("j", 0, List.of(bytes("e")));
        backend.compareAndSet("j", 0, bytes("1"), 1);
        backend.appendJournal("fresh", 0, List.of(bytes("journal only")));
        backend.write("deleted", bytes("1"));
        backend.delete("deleted");
        backend.compareAndDelete("cas", 1);
        backend.compareAndSet("cas", 0, bytes("again"));
        backend.compareAndDelete("w", 7); // another version: kept

        assertThat(backend.list("")).containsExactly("cas", "j", "old", "w");
        assertThat(backend.expireOlderThan(Duration.ofHours(1))).isOne();
        assertThat(backend.list("")).containsExactly("cas", "j", "w");
        backend.delete("j");
        assertThat(backend.list("")).containsExactly("cas", "w");
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
    void expireOlderThan_zeroOrNegativeAge_rejectedAndNothingDeleted() {
        backend.write("k", bytes("v"));
        clock.advance(Duration.ofDays(1));

        for (Duration age : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatThrownBy(() -> backend.expireOlderThan(age))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("age must be positive, was " + age);
        }
        assertThat(backend.read("k")).isPresent();
    }

    @Test
    void appendJournal_newKey_numbersEntriesFromOne() {
        long last = backend.appendJournal("j", 0, List.of(bytes("a"), bytes("b")));

        assertThat(last).isEqualTo(2);
        assertThat(backend.lastJournalSequence("j")).isEqualTo(2);
        assertThat(backend.readJournal("j", 0))
                .containsExactly(new JournalEntry(1, bytes("a")), new JournalEntry(2, bytes("b")));
    }

    @Test
    void appendJournal_callerChangesItsArraysAfterwards_storedEntriesUnchanged() {
        byte[] appended = bytes("abc");
        backend.appendJournal("j", 0, List.of(appended));

        appended[0] = 'X';
        backend.readJournal("j", 0).getFirst().data()[1] = 'Y';

        assertThat(backend.readJournal("j", 0)).containsExactly(new JournalEntry(1, bytes("abc")));
    }

    @Test
    void appendJournal_matchingLastSequence_continuesNumbering() {
        backend.appendJournal("j", 0, List.of(bytes("a")));

        long last = backend.appendJournal("j", 1, List.of(bytes("b"), bytes(""), bytes("d")));

        assertThat(last).isEqualTo(4);
        assertThat(backend.readJournal("j", 0))
                .extracting(JournalEntry::sequence)
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(backend.readJournal("j", 2))
                .containsExactly(new JournalEntry(3, new byte[0]), new JournalEntry(4, bytes("d")));
        assertThat(backend.readJournal("j", 4)).isEmpty();
    }

    @Test
    void appendJournal_staleLastSequence_throwsAndWritesNothing() {
        backend.appendJournal("j", 0, List.of(bytes("a"), bytes("b")));

        for (long stale : new long[] {0, 1, 3}) {
            assertThatThrownBy(() -> backend.appendJournal("j", stale, List.of(bytes("stale"))))
                    .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> {
                        assertThat(e.expectedVersion()).isEqualTo(stale);
                        assertThat(e.actualVersion()).isEqualTo(2);
                    })
                    .hasMessageContaining("'j'");
        }
        assertThat(backend.readJournal("j", 0))
                .extracting(JournalEntry::sequence)
                .containsExactly(1L, 2L);
    }

    @Test
    void appendJournal_invalidArguments_rejected() {
        assertThatThrownBy(() -> backend.appendJournal("j", 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("entries must not be empty");
        assertThatThrownBy(() -> backend.appendJournal("j", -1, List.of(bytes("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectedLastSequence must not be negative, was -1");
        assertThatThrownBy(() -> backend.appendJournal("../j", 0, List.of(bytes("a"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.readJournal("j", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(backend.lastJournalSequence("j")).isZero();
    }

    @Test
    void appendJournal_concurrentAppendersWithSameLastSequence_exactlyOneWins() throws Exception {
        backend.appendJournal("j", 0, List.of(bytes("base")));
        int appenders = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(appenders)) {
            for (int t = 0; t < appenders; t++) {
                String mine = "owner-" + t;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        backend.appendJournal("j", 1, List.of(bytes(mine), bytes(mine)));
                        return true;
                    } catch (ConcurrentSessionModificationException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(2, TimeUnit.MINUTES) ? 1 : 0;
            }
            List<JournalEntry> journal = backend.readJournal("j", 1);
            assertThat(winners).isEqualTo(1);
            assertThat(journal).hasSize(2);
            assertThat(journal.get(0).data()).isEqualTo(journal.get(1).data());
            assertThat(backend.lastJournalSequence("j")).isEqualTo(3);
        }
    }

    @Test
    void appendJournal_manyBatchesAndLargeEntries_readBackInOrder() {
        byte[] large = new byte[1024 * 1024];
        new Random(7).nextBytes(large);
        long last = 0;
        for (int batch = 0; batch < 50; batch++) {
            last = backend.appendJournal("j", last, List.of(bytes("e" + (last + 1)), bytes("e" + (last + 2))));
        }
        last = backend.appendJournal("j", last, List.of(large));

        List<JournalEntry> journal = backend.readJournal("j", 0);
        assertThat(journal).hasSize(101);
        for (int i = 0; i < 100; i++) {
            assertThat(journal.get(i)).isEqualTo(new JournalEntry(i + 1, bytes("e" + (i + 1))));
        }
        assertThat(journal.get(100).data()).isEqualTo(large);
        assertThat(last).isEqualTo(101);
    }

    @Test
    void truncateJournal_prefix_readsRemainderAndKeepsNumbering() {
        backend.appendJournal("j", 0, List.of(bytes("1"), bytes("2"), bytes("3"), bytes("4")));

        backend.truncateJournal("j", 2);
        backend.truncateJournal("j", 2);
        backend.truncateJournal("j", 1);

        assertThat(backend.readJournal("j", 0))
                .containsExactly(new JournalEntry(3, bytes("3")), new JournalEntry(4, bytes("4")));
        assertThat(backend.readJournal("j", 3)).containsExactly(new JournalEntry(4, bytes("4")));
        assertThat(backend.lastJournalSequence("j")).isEqualTo(4);
        assertThat(backend.appendJournal("j", 4, List.of(bytes("5")))).isEqualTo(5);
        assertThat(backend.readJournal("j", 0))
                .extracting(JournalEntry::sequence)
                .containsExactly(3L, 4L, 5L);
    }

    @Test
    void truncateJournal_everythingAndBeyond_keepsLastSequenceForFencing() {
        backend.appendJournal("j", 0, List.of(bytes("1"), bytes("2")));

        backend.truncateJournal("j", 10);

        assertThat(backend.readJournal("j", 0)).isEmpty();
        assertThat(backend.lastJournalSequence("j")).isEqualTo(2);
        assertThatThrownBy(() -> backend.appendJournal("j", 0, List.of(bytes("stale"))))
                .isInstanceOf(ConcurrentSessionModificationException.class);
        assertThat(backend.appendJournal("j", 2, List.of(bytes("3")))).isEqualTo(3);
        assertThat(backend.readJournal("j", 0)).containsExactly(new JournalEntry(3, bytes("3")));
    }

    @Test
    void truncateJournal_missingKey_doesNothing() {
        backend.truncateJournal("j", 3);

        assertThat(backend.lastJournalSequence("j")).isZero();
        assertThat(backend.readJournal("j", 0)).isEmpty();
    }

    @Test
    void journal_valueWrittenAndListed_independentOfJournal() {
        backend.appendJournal("j/2", 0, List.of(bytes("event")));
        backend.write("j", bytes("snapshot"));
        backend.write("j", bytes("snapshot 2"));

        assertThat(backend.list("")).containsExactly("j");
        assertThat(backend.read("j/2")).isEmpty();
        assertThat(backend.read("j").orElseThrow().version()).isEqualTo(2);
        assertThat(backend.readJournal("j/2", 0)).containsExactly(new JournalEntry(1, bytes("event")));
        assertThat(backend.readJournal("j", 0)).isEmpty();
    }

    @Test
    void delete_keyWithValueAndJournal_removesBothAndRestartsNumbering() {
        backend.write("j", bytes("snapshot"));
        backend.appendJournal("j", 0, List.of(bytes("a"), bytes("b")));
        backend.appendJournal("j/2", 0, List.of(bytes("only a journal")));

        assertThat(backend.delete("j")).isTrue();
        assertThat(backend.delete("j/2")).isTrue();

        assertThat(backend.read("j")).isEmpty();
        assertThat(backend.readJournal("j", 0)).isEmpty();
        assertThat(backend.lastJournalSequence("j")).isZero();
        assertThat(backend.lastJournalSequence("j/2")).isZero();
        assertThat(backend.delete("j/2")).isFalse();
        assertThat(backend.appendJournal("j", 0, List.of(bytes("new")))).isEqualTo(1);
    }

    @Test
    void compareAndDelete_keyWithJournal_removesJournalOnlyWhenItDeletes() {
        backend.write("j", bytes("snapshot"));
        backend.appendJournal("j", 0, List.of(bytes("a")));

        assertThat(backend.compareAndDelete("j", 2)).isFalse();
        assertThat(backend.lastJournalSequence("j")).isEqualTo(1);
        assertThat(backend.compareAndDelete("j", 1)).isTrue();
        assertThat(backend.lastJournalSequence("j")).isZero();
    }

    @Test
    void expireOlderThan_recentJournalAppend_keepsKeyAndOldJournalOnlyKeyExpires() {
        backend.write("j", bytes("snapshot"));
        backend.appendJournal("old", 0, List.of(bytes("x")));
        clock.advance(Duration.ofHours(2));
        backend.appendJournal("j", 0, List.of(bytes("recent step")));
        backend.write("fresh", bytes("v"));
        clock.advance(Duration.ofMinutes(30));

        int expired = backend.expireOlderThan(Duration.ofHours(1));

        assertThat(expired).isEqualTo(1);
        assertThat(backend.lastJournalSequence("old")).isZero();
        assertThat(backend.read("j")).isPresent();
        assertThat(backend.readJournal("j", 0)).hasSize(1);
        clock.advance(Duration.ofHours(2));
        assertThat(backend.expireOlderThan(Duration.ofHours(1))).isEqualTo(2);
        assertThat(backend.lastJournalSequence("j")).isZero();
        assertThat(backend.list("")).isEmpty();
    }

    @Test
    void readJournal_flippedBitInStoredEntry_throwsNamingKeyAndSequence() throws Exception {
        backend.appendJournal("j", 0, List.of(bytes("first entry"), bytes("second entry"), bytes("third")));

        flipJournalBit("j", 2);

        assertThatThrownBy(() -> backend.readJournal("j", 0))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'j'")
                .hasMessageContaining("entry 2")
                .hasMessageContaining("checksum");
        assertThat(backend.readJournal("j", 2)).containsExactly(new JournalEntry(3, bytes("third")));
    }

    @Test
    void stateManager_flippedBitInStoredSnapshotOrEvent_detectedNamingSession() throws Exception {
        StateManager manager = new StateManager(backend);
        manager.saveSession(Snapshots.newSession("s-1", START));
        manager.appendEvents("s-1", 0, List.of(Snapshots.payload(1), Snapshots.payload(2)));

        flipValueBit("sessions/s-1", 40);
        flipJournalBit("sessions/s-1", 1);

        assertThatThrownBy(() -> manager.loadSession("s-1"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("CRC32C checksum");
        assertThatThrownBy(() -> manager.readEvents("s-1", 0))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("entry 1");
    }

    @Test
    void stateManager_redactorReplacingMarker_markerNeverReachesStorage() {
        StateManager manager = StateManager.builder(backend)
                .redactor((path, value) ->
                        value.isTextual() && value.textValue().equals("MARKER-42") ? TextNode.valueOf("***") : value)
                .build();
        ObjectNode payload = Snapshots.payload(1);
        payload.putObject("context").putArray("keys").add("MARKER-42");

        manager.saveSession(Snapshots.newSession("s-1", START).withPayload(payload));
        manager.appendEvents("s-1", 0, List.of(payload));

        assertThat(new String(backend.read("sessions/s-1").orElseThrow().value(), UTF_8))
                .doesNotContain("MARKER-42");
        assertThat(new String(backend.readJournal("sessions/s-1", 0).getFirst().data(), UTF_8))
                .doesNotContain("MARKER-42")
                .contains("***");
        assertThat(manager.loadSession("s-1")
                        .orElseThrow()
                        .payload()
                        .at("/context/keys/0")
                        .textValue())
                .isEqualTo("***");
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 2026})
    void journal_seededRandomOperations_behaveLikeSimpleModel(long seed) {
        Random random = new Random(seed);
        Map<String, List<JournalEntry>> entries =
                new HashMap<>(Map.of("j", new ArrayList<>(), "j/2", new ArrayList<>()));
        Map<String, Long> last = new HashMap<>(Map.of("j", 0L, "j/2", 0L));
        for (int step = 0; step < 150; step++) {
            String key = random.nextBoolean() ? "j" : "j/2";
            String where = "seed " + seed + ", step " + step + ", key " + key;
            long current = last.get(key);
            int operation = random.nextInt(20);
            if (operation < 10) {
                long expected = random.nextInt(4) == 0 ? current + random.nextInt(3) - 1 : current;
                List<byte[]> batch = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    byte[] data = new byte[random.nextInt(40)];
                    random.nextBytes(data);
                    batch.add(data);
                }
                if (expected == current) {
                    assertThat(backend.appendJournal(key, expected, batch))
                            .as(where)
                            .isEqualTo(current + batch.size());
                    for (byte[] data : batch) {
                        entries.get(key).add(new JournalEntry(last.merge(key, 1L, Long::sum), data));
                    }
                } else if (expected >= 0) {
                    assertThatThrownBy(() -> backend.appendJournal(key, expected, batch))
                            .as(where)
                            .isInstanceOf(ConcurrentSessionModificationException.class);
                }
            } else if (operation < 14) {
                long through = random.nextLong(current + 3);
                backend.truncateJournal(key, through);
                entries.get(key).removeIf(entry -> entry.sequence() <= through);
            } else if (operation < 15) {
                backend.delete(key);
                entries.get(key).clear();
                last.put(key, 0L);
            } else {
                long after = random.nextLong(current + 2);
                assertThat(backend.readJournal(key, after))
                        .as(where)
                        .containsExactlyElementsOf(entries.get(key).stream()
                                .filter(entry -> entry.sequence() > after)
                                .toList());
            }
            assertThat(backend.lastJournalSequence(key)).as(where).isEqualTo(last.get(key));
        }
    }

    @Test
    void fencedCompareAndSet_versionAndLastSequenceMatch_writesNextVersionAndLeavesJournal() {
        backend.write("j", bytes("snapshot 1"));
        backend.appendJournal("j", 0, List.of(bytes("a"), bytes("b")));

        OptionalLong written = backend.compareAndSet("j", 1, bytes("snapshot 2"), 2);

        assertThat(written).hasValue(2);
        StoredValue stored = backend.read("j").orElseThrow();
        assertThat(stored.value()).isEqualTo(bytes("snapshot 2"));
        assertThat(stored.version()).isEqualTo(2);
        assertThat(backend.lastJournalSequence("j")).isEqualTo(2);
        assertThat(backend.readJournal("j", 0))
                .extracting(JournalEntry::sequence)
                .containsExactly(1L, 2L);
    }

    @Test
    void fencedCompareAndSet_journalMovedOn_throwsJournalConflictAndWritesNothing() {
        backend.write("j", bytes("snapshot"));
        backend.appendJournal("j", 0, List.of(bytes("a")));
        backend.appendJournal("j", 1, List.of(bytes("claim"))); // another owner's fence

        for (long version : new long[] {1, 7}) { // the journal's conflict wins over the version's
            assertThatThrownBy(() -> backend.compareAndSet("j", version, bytes("stale"), 1))
                    .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> {
                        assertThat(e.sessionId()).isEqualTo("j");
                        assertThat(e.expectedVersion()).isEqualTo(1);
                        assertThat(e.actualVersion()).isEqualTo(2);
                    })
                    .hasMessageContaining("Journal of 'j'")
                    .hasMessageContaining("expected last sequence 1 but storage holds 2");
        }
        StoredValue stored = backend.read("j").orElseThrow();
        assertThat(stored.value()).isEqualTo(bytes("snapshot"));
        assertThat(stored.version()).isEqualTo(1);
        assertThat(backend.lastJournalSequence("j")).isEqualTo(2);
    }

    @Test
    void fencedCompareAndSet_staleVersion_emptyAndWritesNothing() {
        backend.write("j", bytes("snapshot 1"));
        backend.write("j", bytes("snapshot 2"));
        backend.appendJournal("j", 0, List.of(bytes("a")));

        assertThat(backend.compareAndSet("j", 1, bytes("stale"), 1)).isEmpty();
        assertThat(backend.compareAndSet("j", 0, bytes("stale"), 1)).isEmpty();

        StoredValue stored = backend.read("j").orElseThrow();
        assertThat(stored.value()).isEqualTo(bytes("snapshot 2"));
        assertThat(stored.version()).isEqualTo(2);
        assertThat(backend.lastJournalSequence("j")).isEqualTo(1);
    }

    @Test
    void fencedCompareAndSet_journalTruncated_fencedByTheKeptLastSequence() {
        backend.appendJournal("j", 0, List.of(bytes("a"), bytes("b"), bytes("c")));
        backend.truncateJournal("j", 10);

        assertThat(backend.compareAndSet("j", 0, bytes("snapshot"), 3)).hasValue(1);
        assertThatThrownBy(() -> backend.compareAndSet("j", 1, bytes("stale"), 0))
                .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> assertThat(e.actualVersion())
                        .isEqualTo(3));
        assertThat(backend.read("j").orElseThrow().value()).isEqualTo(bytes("snapshot"));
        assertThat(backend.appendJournal("j", 3, List.of(bytes("d")))).isEqualTo(4);
    }

    @Test
    void fencedCompareAndSet_absentKeyWithEmptyJournal_createsVersionOneAndLeavesNoJournal() {
        assertThat(backend.compareAndSet("j", 0, bytes("created"), 0)).hasValue(1);

        assertThat(backend.read("j").orElseThrow().value()).isEqualTo(bytes("created"));
        assertThat(backend.lastJournalSequence("j")).isZero();
        assertThat(backend.readJournal("j", 0)).isEmpty();
        assertThat(backend.appendJournal("j", 0, List.of(bytes("first")))).isEqualTo(1);
        assertThat(backend.compareAndSet("j", 0, bytes("again"), 1)).isEmpty();
        assertThat(backend.compareAndSet("j/2", 0, bytes("x"), 0)).hasValue(1);
    }

    @Test
    void fencedCompareAndSet_refusedOnAbsentKey_leavesNoJournalBehind() {
        assertThat(backend.compareAndSet("j", 3, bytes("x"), 0)).isEmpty();
        assertThatThrownBy(() -> backend.compareAndSet("j", 0, bytes("x"), 2))
                .isInstanceOf(ConcurrentSessionModificationException.class);

        assertThat(backend.read("j")).isEmpty();
        assertThat(backend.lastJournalSequence("j")).isZero();
        assertThat(backend.appendJournal("j", 0, List.of(bytes("first")))).isEqualTo(1);
    }

    @Test
    void fencedCompareAndSet_deletedKey_fenceRestartsAtZero() {
        backend.write("j", bytes("snapshot"));
        backend.appendJournal("j", 0, List.of(bytes("a")));
        backend.delete("j");

        assertThatThrownBy(() -> backend.compareAndSet("j", 0, bytes("stale"), 1))
                .isInstanceOf(ConcurrentSessionModificationException.class);
        assertThat(backend.compareAndSet("j", 0, bytes("new"), 0)).hasValue(1);
    }

    @Test
    void fencedCompareAndSet_invalidArguments_rejectedAndNothingWritten() {
        assertThatThrownBy(() -> backend.compareAndSet("j", -1, bytes("x"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectedVersion must not be negative, was -1");
        assertThatThrownBy(() -> backend.compareAndSet("j", 0, bytes("x"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectedLastSequence must not be negative, was -1");
        assertThatThrownBy(() -> backend.compareAndSet("../j", 0, bytes("x"), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(backend.read("j")).isEmpty();
    }

    /**
     * An append and a fenced compare-and-set at the same sequence, started together, many times (the first round on
     * a key without a journal yet): the append always goes through, and the write either went first (stored) or saw
     * the append and was refused naming its sequence — never a deadlock or another error.
     */
    @Test
    void fencedCompareAndSet_racingAnAppend_oneOrderOrTheOther() throws Exception {
        int rounds = 40;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < rounds; round++) {
                long last = round;
                long version = backend.read("j").map(StoredValue::version).orElse(0L);
                CountDownLatch start = new CountDownLatch(1);
                Future<Long> append = pool.submit(() -> {
                    start.await();
                    return backend.appendJournal("j", last, List.of(bytes("claim " + last)));
                });
                Future<OptionalLong> write = pool.submit(() -> {
                    start.await();
                    try {
                        return backend.compareAndSet("j", version, bytes("snapshot " + last), last);
                    } catch (ConcurrentSessionModificationException e) {
                        assertThat(e.actualVersion()).isEqualTo(last + 1);
                        return OptionalLong.empty();
                    }
                });
                start.countDown();
                assertThat(append.get(2, TimeUnit.MINUTES)).isEqualTo(last + 1);
                OptionalLong written = write.get(2, TimeUnit.MINUTES);
                long stored = backend.read("j").map(StoredValue::version).orElse(0L);
                assertThat(stored).isEqualTo(written.isPresent() ? version + 1 : version);
            }
        }
        assertThat(backend.lastJournalSequence("j")).isEqualTo(rounds);
    }

    @Test
    void stateManager_fencedSaveAfterAnotherOwnersAppend_refusedNamingSessionAndNothingWritten() {
        StateManager manager = new StateManager(backend);
        manager.saveSession(Snapshots.newSession("s-1", START));
        long known = manager.appendEvents(
                "s-1", 0, List.of(Snapshots.JSON.createObjectNode().put("step", 1)));
        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();
        manager.appendEvents(
                "s-1", known, List.of(Snapshots.JSON.createObjectNode().put("claim", true)));

        assertThatThrownBy(() -> manager.save(loaded, known))
                .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> {
                    assertThat(e.sessionId()).isEqualTo("s-1");
                    assertThat(e.expectedVersion()).isEqualTo(known);
                    assertThat(e.actualVersion()).isEqualTo(known + 1);
                })
                .hasMessageContaining("Journal of 's-1'");
        assertThatThrownBy(() -> manager.saveSnapshot(loaded, known, known))
                .isInstanceOf(ConcurrentSessionModificationException.class);
        assertThat(manager.loadSession("s-1").orElseThrow().version()).isEqualTo(loaded.version());
        assertThat(manager.readEvents("s-1", 0)).hasSize(2);

        assertThat(manager.saveSnapshot(loaded, known + 1, known + 1).version()).isEqualTo(loaded.version() + 1);
        assertThat(manager.readEvents("s-1", 0)).isEmpty();
        assertThat(manager.loadSession("s-1").orElseThrow().journalSequence()).isEqualTo(known + 1);
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

package dev.orchestra4j.state;

import static dev.orchestra4j.state.Snapshots.newSession;
import static dev.orchestra4j.state.Snapshots.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class StateManagerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final StorageBackend backend = StorageBackends.inMemory(clock);

    private StateManager manager(boolean compression) {
        return StateManager.builder(backend)
                .compression(compression)
                .clock(clock)
                .build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void saveSession_newSession_loadReturnsSameContentAtNewVersion(boolean compression) {
        StateManager manager = manager(compression);
        SessionSnapshot snapshot = newSession("s-1", T0);

        long version = manager.saveSession(snapshot);

        assertThat(version).isEqualTo(1);
        assertThat(manager.loadSession("s-1")).contains(snapshot.withVersion(1));
        StateManager fresh = manager(!compression);
        assertThat(fresh.loadSession("s-1")).contains(snapshot.withVersion(1));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void save_payloadNestedDeeperThanJacksonWrites_isABadArgumentNamingTheSession_notAStorageFailure(
            boolean compression) {
        ObjectNode deep = payload(1);
        ObjectNode at = deep;
        for (int i = 0; i < 1_200; i++) {
            at = at.putObject("inner");
        }
        SessionSnapshot snapshot = newSession("s-deep", T0).withPayload(deep);

        assertThatThrownBy(() -> manager(compression).save(snapshot))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("session 's-deep' cannot be written as JSON: Document nesting depth (1001)");
        assertThat(manager(compression).loadSession("s-deep"))
                .as("nothing written")
                .isEmpty();
    }

    @Test
    void save_compressionEnabled_storesFewerBytesForRepetitivePayload() {
        ObjectNode big = payload(1);
        big.put("trace", "step output ".repeat(2_000));
        SessionSnapshot snapshot = newSession("s-1", T0).withPayload(big);

        SaveResult plain = manager(false).save(snapshot);
        SaveResult gzip = manager(true).save(newSession("s-2", T0).withPayload(big));

        assertThat(plain.id()).isEqualTo("s-1");
        assertThat(gzip.bytes()).isLessThan(plain.bytes() / 10);
        assertThat(plain.bytes())
                .isEqualTo(backend.read("sessions/s-1").orElseThrow().size());
        assertThat(plain.elapsed()).isPositive();
    }

    @Test
    void saveSession_consecutiveSavesFromLoadedVersion_versionsIncrease() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));

        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();
        long second = manager.saveSession(loaded.withPayload(payload(2)));

        assertThat(second).isEqualTo(2);
        assertThat(manager.loadSession("s-1").map(Snapshots::step)).contains(2);
    }

    @Test
    void saveSession_staleVersion_throwsConcurrentModificationNamingSessionAndVersions() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        SessionSnapshot first = manager.loadSession("s-1").orElseThrow();
        manager.saveSession(first.withPayload(payload(2)));

        assertThatThrownBy(() -> manager.saveSession(first.withPayload(payload(3))))
                .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> {
                    assertThat(e.sessionId()).isEqualTo("s-1");
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                })
                .hasMessageContaining("'s-1'")
                .hasMessageContaining("version 1")
                .hasMessageContaining("version 2");
        assertThat(manager.loadSession("s-1").map(Snapshots::step)).contains(2);
    }

    @Test
    void saveSession_newSessionWhenOneExists_throwsConcurrentModification() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));

        assertThatThrownBy(() -> manager.saveSession(newSession("s-1", T0)))
                .isInstanceOf(ConcurrentSessionModificationException.class);
    }

    @Test
    void saveSession_concurrentWritersFromSameVersion_exactlyOneWins() throws Exception {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < writers; i++) {
                SessionSnapshot mine = loaded.withPayload(payload(100 + i));
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return manager.saveSession(mine);
                    } catch (ConcurrentSessionModificationException e) {
                        return -1L;
                    }
                }));
            }
            start.countDown();
            List<Long> versions = new ArrayList<>();
            for (Future<Long> outcome : outcomes) {
                versions.add(outcome.get(1, TimeUnit.MINUTES));
            }
            assertThat(versions).containsOnlyOnce(2L).containsOnly(2L, -1L);
        }
        assertThat(manager.loadSession("s-1").map(SessionSnapshot::version)).contains(2L);
    }

    @Test
    void saveSession_conflictAfterOtherWriter_cacheServesOtherWritersVersion() {
        StateManager mine = manager(false);
        StateManager other = manager(false);
        mine.saveSession(newSession("s-1", T0));
        SessionSnapshot mineLoaded = mine.loadSession("s-1").orElseThrow();
        SessionSnapshot otherLoaded = other.loadSession("s-1").orElseThrow();
        other.saveSession(otherLoaded.withPayload(payload(20)));

        assertThatThrownBy(() -> mine.saveSession(mineLoaded.withPayload(payload(10))))
                .isInstanceOf(ConcurrentSessionModificationException.class);

        SessionSnapshot reloaded = mine.loadSession("s-1").orElseThrow();
        assertThat(reloaded.version()).isEqualTo(2);
        assertThat(Snapshots.step(reloaded)).isEqualTo(20);
    }

    @Test
    void loadSession_storageRewrittenBehindCache_returnsStorageContent() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        manager.loadSession("s-1");
        StateManager elsewhere = manager(true);
        SessionSnapshot theirs = elsewhere.loadSession("s-1").orElseThrow();
        elsewhere.saveSession(theirs.withPayload(payload(8)));

        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();

        assertThat(loaded.version()).isEqualTo(2);
        assertThat(Snapshots.step(loaded)).isEqualTo(8);
    }

    @Test
    void loadSession_callerMutatesPayload_laterLoadsUnaffected() {
        StateManager manager = manager(false);
        SessionSnapshot snapshot = newSession("s-1", T0);
        manager.saveSession(snapshot);
        ((ObjectNode) snapshot.payload()).put("step", 99);

        ((ObjectNode) manager.loadSession("s-1").orElseThrow().payload()).put("step", 42);

        assertThat(manager.loadSession("s-1").map(Snapshots::step)).contains(0);
    }

    @Test
    void loadSession_cacheDisabled_readsStorage() {
        StateManager manager = StateManager.builder(backend).cacheSize(0).build();
        manager.saveSession(newSession("s-1", T0));

        assertThat(manager.loadSession("s-1")).map(SessionSnapshot::version).contains(1L);
        assertThat(manager.loadSession("unknown")).isEmpty();
    }

    @Test
    void checkpoints_createListRestore_sessionReturnsToCheckpointContent() {
        StateManager manager = manager(true);
        manager.saveSession(newSession("s-1", T0));
        String id = manager.createCheckpoint("s-1", "before-review");
        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();
        manager.saveSession(loaded.withPayload(payload(7)).withStatus("FAILED"));
        clock.advance(Duration.ofMinutes(3));

        SessionSnapshot restored = manager.restoreCheckpoint(id);

        assertThat(id).isEqualTo("s-1/000001-before-review");
        assertThat(restored.version()).isEqualTo(3);
        assertThat(restored.status()).isEqualTo("RUNNING");
        assertThat(Snapshots.step(restored)).isZero();
        assertThat(restored.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(manager.loadSession("s-1")).contains(restored);
        assertThat(manager(false).loadSession("s-1")).contains(restored);
        assertThat(manager.listCheckpoints("s-1")).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(id);
            assertThat(info.sessionId()).isEqualTo("s-1");
            assertThat(info.name()).isEqualTo("before-review");
            assertThat(info.createdAt()).isEqualTo(T0);
            assertThat(info.sizeBytes()).isPositive();
        });
    }

    @Test
    void listCheckpoints_manyCheckpoints_readsNoCheckpointBytes() {
        List<String> reads = new ArrayList<>();
        StorageBackend counting = new ForwardingStorageBackend(backend) {
            @Override
            public java.util.Optional<StoredValue> read(String key) {
                reads.add(key);
                return super.read(key);
            }
        };
        StateManager manager = StateManager.builder(counting).clock(clock).build();
        manager.saveSession(newSession("s-1", T0));
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            manager.createCheckpoint("s-1", "cp" + i);
        }
        reads.clear();

        List<CheckpointInfo> listed = manager.listCheckpoints("s-1");

        assertThat(reads).isEmpty();
        assertThat(listed)
                .extracting(CheckpointInfo::createdAt)
                .containsExactly(
                        T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(4), T0.plusSeconds(5));
        assertThat(listed).allSatisfy(info -> assertThat(info.sizeBytes())
                .isEqualTo(
                        backend.read("checkpoints/" + info.id()).orElseThrow().size()));
    }

    @Test
    void listCheckpoints_checkpointWithoutItsRecord_listedByReadingIt() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        String id = manager.createCheckpoint("s-1", "cp");
        backend.list("checkpoints/" + id + "/").forEach(backend::delete);

        assertThat(manager.listCheckpoints("s-1")).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(id);
            assertThat(info.createdAt()).isEqualTo(T0);
            assertThat(info.sizeBytes()).isPositive();
        });
        assertThat(manager.deleteCheckpoint(id)).isTrue();
        assertThat(backend.list("checkpoints/")).isEmpty();
    }

    @Test
    void restoreCheckpoint_writerHoldingPreRestoreVersion_getsConflict() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        String id = manager.createCheckpoint("s-1", "cp");
        SessionSnapshot running = manager.loadSession("s-1").orElseThrow();

        manager.restoreCheckpoint(id);

        assertThatThrownBy(() -> manager.saveSession(running.withPayload(payload(5))))
                .isInstanceOf(ConcurrentSessionModificationException.class);
    }

    @Test
    void createCheckpoint_beyondMax_prunesOldest() {
        StateManager manager =
                StateManager.builder(backend).maxCheckpointsPerSession(3).build();
        manager.saveSession(newSession("s-1", T0));

        for (int i = 1; i <= 5; i++) {
            manager.createCheckpoint("s-1", "cp" + i);
        }

        assertThat(manager.listCheckpoints("s-1"))
                .extracting(CheckpointInfo::id)
                .containsExactly("s-1/000003-cp3", "s-1/000004-cp4", "s-1/000005-cp5");
        assertThatThrownBy(() -> manager.restoreCheckpoint("s-1/000001-cp1"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'s-1/000001-cp1'");
    }

    @Test
    void save_checkpoint_reportsIdAndBytes() {
        StateManager manager = manager(false);
        SaveResult saved = manager.save(newSession("s-1", T0));

        SaveResult checkpoint = manager.checkpoint("s-1", "x");

        assertThat(checkpoint.id()).isEqualTo("s-1/000001-x");
        assertThat(checkpoint.bytes()).isEqualTo(saved.bytes());
    }

    @Test
    void createCheckpoint_sessionNeverSaved_throwsStateExceptionNamingSession() {
        assertThatThrownBy(() -> manager(false).createCheckpoint("ghost", "cp"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'ghost'");
    }

    @Test
    void restoreCheckpoint_unknownId_throwsStateExceptionNamingIt() {
        assertThatThrownBy(() -> manager(false).restoreCheckpoint("s-1/000009-nope"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'s-1/000009-nope'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "s-1/", "/000001-x", "s-1/abc-x", "s-1/000001-", "../000001-x", "s-1/000001-a/b"})
    void restoreCheckpoint_malformedId_throwsIllegalArgumentNamingIt(String id) {
        assertThatThrownBy(() -> manager(false).restoreCheckpoint(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'");
    }

    @Test
    void deleteSession_withCheckpoints_removesEverything() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        manager.createCheckpoint("s-1", "a");
        manager.saveSession(newSession("s-10", T0));

        assertThat(manager.deleteSession("s-1")).isTrue();
        assertThat(manager.deleteSession("s-1")).isFalse();
        assertThat(manager.loadSession("s-1")).isEmpty();
        assertThat(manager.listCheckpoints("s-1")).isEmpty();
        assertThat(backend.list("")).containsExactly("sessions/s-10");
    }

    @Test
    void listSessions_severalSessions_summariesSortedById() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("b", T0).withStatus("PAUSED"));
        manager.saveSession(newSession("a", T0.plusSeconds(1)));
        manager.createCheckpoint("a", "cp");

        assertThat(manager.listSessions())
                .containsExactly(
                        new SessionSummary("a", "RUNNING", T0.plusSeconds(1), 1),
                        new SessionSummary("b", "PAUSED", T0, 1));
    }

    @Test
    void listSessions_foreignKeysUnderSessionsPrefix_skipped() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        backend.write(
                "sessions/not/a-session",
                Snapshots.JSON.createObjectNode().toString().getBytes());

        assertThat(manager.listSessions()).extracting(SessionSummary::sessionId).containsExactly("s-1");
    }

    @Test
    void purgeExpired_withRetention_removesOnlySessionsUntouchedForLonger() {
        StateManager manager = StateManager.builder(backend)
                .retention(Duration.ofDays(7))
                .clock(clock)
                .build();
        manager.saveSession(newSession("old", T0));
        manager.createCheckpoint("old", "cp");
        clock.advance(Duration.ofDays(5));
        manager.saveSession(newSession("recent", clock.instant()));
        clock.advance(Duration.ofDays(3));

        int purged = manager.purgeExpired();

        assertThat(purged).isEqualTo(1);
        assertThat(manager.listSessions()).extracting(SessionSummary::sessionId).containsExactly("recent");
        assertThat(manager.listCheckpoints("old")).isEmpty();
    }

    @Test
    void purgeExpired_sessionSavedDuringPurge_kept() {
        WriteAfterReadBackend racing = new WriteAfterReadBackend(backend, "sessions/old");
        StateManager manager = StateManager.builder(racing)
                .retention(Duration.ofDays(1))
                .clock(clock)
                .build();
        manager.saveSession(newSession("old", T0));
        manager.createCheckpoint("old", "cp");
        clock.advance(Duration.ofDays(2));
        racing.arm();

        int purged = manager.purgeExpired();

        assertThat(purged).isZero();
        assertThat(manager.loadSession("old")).map(SessionSnapshot::version).contains(2L);
        assertThat(manager.listCheckpoints("old")).hasSize(1);
    }

    @Test
    void deleteCheckpoint_existing_removedOnce() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        String id = manager.createCheckpoint("s-1", "cp");

        assertThat(manager.deleteCheckpoint(id)).isTrue();
        assertThat(manager.deleteCheckpoint(id)).isFalse();
        assertThat(manager.listCheckpoints("s-1")).isEmpty();
    }

    @Test
    void purgeExpired_noRetention_keepsEverything() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));
        clock.advance(Duration.ofDays(10_000));

        assertThat(manager.purgeExpired()).isZero();
        assertThat(manager.loadSession("s-1")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "a/b", "a b", "../x"})
    void loadSession_invalidSessionId_throwsIllegalArgumentNamingIt(String id) {
        assertThatThrownBy(() -> manager(false).loadSession(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + id + "'");
    }

    @Test
    void createCheckpoint_invalidName_throwsIllegalArgumentNamingIt() {
        StateManager manager = manager(false);
        manager.saveSession(newSession("s-1", T0));

        assertThatThrownBy(() -> manager.createCheckpoint("s-1", "a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint name 'a/b'");
    }

    @Test
    void builder_invalidSettings_rejectedWithMessage() {
        StateManager.Builder builder = StateManager.builder(backend);

        assertThatThrownBy(() -> builder.maxCheckpointsPerSession(0))
                .hasMessage("maxCheckpointsPerSession must be positive, was 0");
        assertThatThrownBy(() -> builder.retention(Duration.ZERO)).hasMessage("retention must be positive, was PT0S");
        assertThatThrownBy(() -> builder.cacheSize(-1)).hasMessage("cacheSize must not be negative, was -1");
        assertThatThrownBy(() -> builder.autoSaveInterval(Duration.ofSeconds(-1)))
                .hasMessage("autoSaveInterval must not be negative, was PT-1S");
    }

    @Test
    void builder_defaults_matchSpec() {
        StateManager manager = new StateManager(backend);

        assertThat(manager.autoSaveInterval()).isEqualTo(Duration.ZERO);
        assertThat(manager.isCompressionEnabled()).isFalse();
        assertThat(manager.retention()).isEmpty();
        assertThat(manager.maxCheckpointsPerSession()).isEqualTo(10);
        assertThat(manager.backendName()).isEqualTo("memory");
        assertThat(manager.backend()).isSameAs(backend);
    }

    @Test
    void saveSession_newerSchemaVersion_rejected() {
        SessionSnapshot future = new SessionSnapshot(2, "s-1", 0, "RUNNING", T0, T0, "{}", "d", payload(0));

        assertThatThrownBy(() -> manager(false).saveSession(future))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schemaVersion must be at most 1, was 2");
        assertThat(backend.list("")).isEqualTo(List.of());
    }
}

package dev.orchestra4j.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An owner's snapshot writes are fenced by the journal in storage, atomically (issue #11): once another process's claim
 * appended its fence, the old owner's next snapshot write — its final one, a heartbeat — is refused and nothing is
 * written, although the snapshot's version still matches (as when the claim's own snapshot write failed). The claim
 * lands right before the write reaches storage, after any check the engine could make before writing; a read of the
 * journal before the write (the check this replaced) let both writes through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FencedSnapshotWriteTest {

    private final ClaimingBackend storage = new ClaimingBackend();
    private final MutableClock clock = MutableClock.atEpoch();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private OrchestraInstance instance(AgentRegistry agents) {
        return OrchestraInstance.builder()
                .topology(Topology.builder().edge("Start -> A").edge("A -> End").build())
                .agents(agents)
                .clock(clock)
                .stateManager(StateManager.builder(storage)
                        .heartbeatInterval(Duration.ofSeconds(1))
                        .leaseTimeout(Duration.ofHours(1))
                        .build())
                .build();
    }

    @Test
    void finalWrite_anotherProcessClaimedRightBefore_refusedNothingWrittenAndTheLegLost() {
        OrchestraInstance instance = instance(AgentRegistry.create().register("A", r -> {
            storage.claimBeforeNextSnapshotWrite("sessions/fenced-final");
            return AgentResponse.finish("done");
        }));

        OrchestraResult result = instance.execute("t", Map.of("session_id", "fenced-final"), 10);

        assertThat(storage.claimed.getCount()).as("the claim landed").isZero();
        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e ->
                        assertThat(e).contains("taken over by another process").contains("Journal of 'fenced-final'"));
        assertNothingWrittenSinceTheClaim("fenced-final");
    }

    @Test
    void heartbeat_anotherProcessClaimedRightBefore_refusedNothingWrittenAndTheLegLost() throws Exception {
        OrchestraInstance instance = instance(AgentRegistry.create().register("A", r -> {
            started.countDown();
            release.await(); // a long step: only heartbeats write meanwhile
            return AgentResponse.finish("done");
        }));
        SessionHandle running = instance.start("t", Map.of("session_id", "fenced-beat"));
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        storage.claimBeforeNextSnapshotWrite("sessions/fenced-beat");

        clock.advance(Duration.ofSeconds(2)); // a heartbeat is due: the owner re-writes its snapshot
        assertThat(storage.claimed.await(20, TimeUnit.SECONDS))
                .as("the heartbeat reached storage")
                .isTrue();

        assertNothingWrittenSinceTheClaim("fenced-beat");
        release.countDown();
        OrchestraResult result = running.result().get(20, TimeUnit.SECONDS);
        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertNothingWrittenSinceTheClaim("fenced-beat");
    }

    private void assertNothingWrittenSinceTheClaim(String id) {
        SessionSnapshot stored = new StateManager(storage).loadSession(id).orElseThrow();
        assertThat(stored.version()).as("the snapshot's version at the claim").isEqualTo(storage.versionAtClaim);
        assertThat(stored.status()).isEqualTo("RUNNING");
    }

    /**
     * Appends another process's claim to a session's journal right before the next snapshot write of the session
     * reaches storage (the fenced write, or the unfenced one an engine without the fence would make).
     */
    private static final class ClaimingBackend extends ForwardingStorageBackend {

        final CountDownLatch claimed = new CountDownLatch(1);
        final AtomicReference<@Nullable String> armed = new AtomicReference<>();
        volatile long versionAtClaim = -1;

        ClaimingBackend() {
            super(StorageBackends.inMemory());
        }

        void claimBeforeNextSnapshotWrite(String key) {
            armed.set(key);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            boolean claim = claimIfArmed(key);
            try {
                return super.compareAndSet(key, expectedVersion, value);
            } finally {
                if (claim) {
                    claimed.countDown();
                }
            }
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            boolean claim = claimIfArmed(key);
            try {
                return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
            } finally {
                if (claim) {
                    claimed.countDown();
                }
            }
        }

        private boolean claimIfArmed(String key) {
            String target = armed.get();
            if (!key.equals(target) || !armed.compareAndSet(target, null)) { // (compareAndSet compares identities)
                return false;
            }
            versionAtClaim = delegate().read(key).orElseThrow().version();
            long last = delegate().lastJournalSequence(key);
            delegate().appendJournal(key, last, List.of("{\"t\":\"claim\"}".getBytes(UTF_8)));
            return true;
        }
    }
}

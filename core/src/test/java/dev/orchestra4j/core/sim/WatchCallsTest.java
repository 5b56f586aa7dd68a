package dev.orchestra4j.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Answers sent to a process while its {@code recoverSession} watches another owner's lease ({@link WatchCalls}): cases
 * of the simulation known to send one, replayed. Before the fix, such an answer spun on the recovering process's lease
 * for the whole watch, so the simulated world never came to rest (and in production it burned a core for up to the
 * lease timeout); now it waits for its turn, and either reaches the leg that takes the session over or is refused with
 * the recovery.
 */
final class WatchCallsTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anAnswerDuringTheWatch_reachesTheLegThatTakesTheSessionOverOnce() throws Exception {
        Stats stats = new Stats();
        for (long seed : new long[] {7509133288154437328L, 830185749181194951L}) {
            new Simulation(seed, stats).run();
        }
        assertThat(stats.count("answers sent during a lease watch")).isEqualTo(2);
        assertThat(stats.count("answers during a lease watch taken by the new owner")
                        + stats.count("answers during a lease watch waiting in the new leg's mailbox"))
                .isEqualTo(2);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anAnswerToTheLiveOwnerDuringTheWatch_isTakenByTheOwnerAndNeverByTheWatcher() throws Exception {
        Stats stats = new Stats();
        new Simulation(3295605857158013L, stats).run();
        assertThat(stats.count("answers sent to the owner during a lease watch"))
                .isEqualTo(1);
        assertThat(stats.count("answers to the owner during a lease watch taken by it"))
                .isEqualTo(1);
        assertThat(stats.count("recoveries refused: the owner was alive")).isPositive();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anAnswerDuringTheWatch_isRefusedWithARefusedRecoveryAndAppliedNowhere() throws Exception {
        Stats stats = new Stats();
        new Simulation(-3854480898337428988L, stats).run();
        assertThat(stats.count("answers sent during a lease watch")).isEqualTo(1);
        assertThat(stats.count("answers during a lease watch refused with the recovery"))
                .isEqualTo(1);
    }
}

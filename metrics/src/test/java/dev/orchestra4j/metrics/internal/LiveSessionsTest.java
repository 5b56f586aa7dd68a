package dev.orchestra4j.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

final class LiveSessionsTest {

    @Test
    void close_sessionWithBranchesAndOpenStep_releasesAllAndReturnsLeftovers() {
        LiveSessions live = new LiveSessions(10, 100);
        live.open("s", Observation.NOOP);
        live.addBranch("s", "b-1");
        live.putStep("s", "b-2", Observation.NOOP);

        LiveSessions.Leftovers leftovers = live.close("s");

        assertThat(leftovers).isNotNull();
        assertThat(leftovers.steps()).hasSize(1);
        assertThat(live.activeSessions()).isZero();
        assertThat(live.activeBranches()).isZero();
        assertThat(live.close("s")).isNull();
    }

    @Test
    void open_beyondSessionCap_evictsLeastRecentlyTouched() {
        LiveSessions live = new LiveSessions(2, 100);
        live.open("s-1", Observation.NOOP);
        live.open("s-2", Observation.NOOP);
        live.addBranch("s-1", "b");
        live.open("s-3", Observation.NOOP);

        assertThat(live.activeSessions()).isEqualTo(2);
        assertThat(live.drainEvicted()).hasSize(1);
        assertThat(live.run("s-2")).as("s-2 was touched least recently").isNull();
        assertThat(live.run("s-1")).isNotNull();
        assertThat(live.activeBranches()).isEqualTo(1);
        assertThat(live.drainEvicted()).isEmpty();
    }

    @Test
    void addBranch_beyondBranchCap_notTracked() {
        LiveSessions live = new LiveSessions(10, 2);
        live.open("s", Observation.NOOP);
        live.addBranch("s", "b-1");
        live.addBranch("s", "b-2");
        live.addBranch("s", "b-3");
        live.removeBranch("s", "b-3");

        assertThat(live.activeBranches()).isEqualTo(2);
    }

    @Test
    void putStep_unknownSession_returnsTheStepToAbandon() {
        LiveSessions live = new LiveSessions(10, 10);
        Observation step = Observation.NOOP;

        assertThat(live.putStep("nobody", "b", step)).isSameAs(step);
        assertThat(live.activeBranches()).isZero();
    }
}

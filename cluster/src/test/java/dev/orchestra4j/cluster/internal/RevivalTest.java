package dev.orchestra4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.TaskRepository;
import com.github.kagkarlsson.scheduler.event.SchedulerListeners;
import com.github.kagkarlsson.scheduler.exceptions.ExecutionException;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.orchestra4j.cluster.ClusterEvent;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A dead worker's session: due again when it was due before, and reported by the one worker that revived it. */
final class RevivalTest {

    private static final Instant DUE = Instant.parse("2026-12-03T10:00:00Z");
    private static final Instant LAST_BEAT = DUE.plusSeconds(30);
    private static final Instant NOW = LAST_BEAT.plusSeconds(5);

    private final List<ClusterEvent> events = new ArrayList<>();
    private final List<Instant> rescheduledTo = new ArrayList<>();
    private final AtomicInteger pickUps = new AtomicInteger();
    private final Revival revival =
            new Revival("w2", Clock.fixed(NOW, ZoneOffset.UTC), events::add, pickUps::incrementAndGet);
    private final Execution dead = new Execution(
            DUE, new TaskInstance<>(ClusterNode.TASK, "s-1", "pipeline"), true, "w1", null, null, 0, LAST_BEAT, 3);

    /** The run table as db-scheduler's revive sees it: the row is updated, or another worker revived it first. */
    private boolean databaseDown;

    private ExecutionOperations<String> runTable(boolean revivedElsewhere) {
        TaskRepository repository = (TaskRepository) Proxy.newProxyInstance(
                TaskRepository.class.getClassLoader(), new Class<?>[] {TaskRepository.class}, (proxy, m, args) -> {
                    if (!m.getName().equals("reschedule")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    if (revivedElsewhere) { // what JdbcTaskRepository throws when the row's version moved
                        throw new ExecutionException("Expected one execution to be updated, but updated 0", dead);
                    }
                    if (databaseDown) {
                        throw new IllegalStateException("connection refused");
                    }
                    rescheduledTo.add((Instant) args[1]);
                    return true;
                });
        return new ExecutionOperations<>(repository, SchedulerListeners.NOOP, dead);
    }

    private ExecutionComplete complete() {
        return ExecutionComplete.failure(dead, NOW, NOW, new IllegalStateException("dead"));
    }

    @Test
    void deadExecution_revived_dueWhenItWasDueBeforeAndReportedOnce() {
        revival.deadExecution(complete(), runTable(false));

        assertThat(rescheduledTo).containsExactly(DUE);
        assertThat(events).containsExactly(new ClusterEvent.SessionRecovered("s-1", "w1", "w2", Duration.ofSeconds(5)));
        assertThat(pickUps).hasValue(1);
    }

    @Test
    void deadExecution_anotherWorkerRevivedItFirst_returnsQuietly_reportsNothing() {
        revival.deadExecution(complete(), runTable(true)); // no exception: db-scheduler would log it as an ERROR

        assertThat(events).isEmpty();
        assertThat(pickUps).hasValue(0);
    }

    @Test
    void deadExecution_databaseFails_theFailureIsNotMistakenForALostRace() {
        databaseDown = true;

        assertThatThrownBy(() -> revival.deadExecution(complete(), runTable(false)))
                .hasMessageContaining("connection refused");
        assertThat(events).isEmpty();
    }
}

package dev.orchestra4j.cluster.internal;

import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import dev.orchestra4j.cluster.ClusterEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What a worker does with the run row of a dead worker's session. The row is due again at the time it was due before,
 * not now: on busy survivors it goes ahead of the sessions submitted since instead of queueing behind all of them.
 * Several survivors may detect the same dead row; only the one whose revive wins the row's version check reports
 * {@link ClusterEvent.SessionRecovered} (db-scheduler calls its listeners before the revive, so every detector would).
 */
final class Revival implements DeadExecutionHandler<String> {

    private final String workerId;
    private final Clock clock;
    private final Consumer<ClusterEvent> emit;
    private final Runnable pickUp;

    /** {@code pickUp} makes this worker look for due sessions at once instead of at its next poll. */
    Revival(String workerId, Clock clock, Consumer<ClusterEvent> emit, Runnable pickUp) {
        this.workerId = workerId;
        this.clock = clock;
        this.emit = emit;
        this.pickUp = pickUp;
    }

    @Override
    public void deadExecution(ExecutionComplete complete, ExecutionOperations<String> ops) {
        Execution dead = complete.getExecution();
        ops.reschedule(complete, dead.executionTime); // throws when another worker revived it first
        Instant last = dead.lastHeartbeat == null ? dead.executionTime : dead.lastHeartbeat;
        emit.accept(new ClusterEvent.SessionRecovered(
                dead.taskInstance.getId(),
                dead.pickedBy == null ? "unknown" : dead.pickedBy,
                workerId,
                Duration.between(last, clock.instant())));
        pickUp.run();
    }
}

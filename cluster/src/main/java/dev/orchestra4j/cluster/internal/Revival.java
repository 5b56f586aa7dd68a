package dev.orchestra4j.cluster.internal;

import com.github.kagkarlsson.scheduler.exceptions.ExecutionException;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import dev.orchestra4j.cluster.ClusterEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with the run row of a dead worker's session. The row is due again at the time it was due before,
 * not now: on busy survivors it goes ahead of the sessions submitted since instead of queueing behind all of them.
 * Several survivors may detect the same dead row; only the one whose revive wins the row's version check reports
 * {@link ClusterEvent.SessionRecovered} (db-scheduler calls its listeners before the revive, so every detector would);
 * the others return quietly instead of failing the revive, which db-scheduler would log as an ERROR.
 */
final class Revival implements DeadExecutionHandler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(Revival.class);

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
        try {
            ops.reschedule(complete, dead.executionTime);
        } catch (ExecutionException lost) { // the row's version moved: another worker revived it first
            LOG.debug("session {} was revived by another worker first", dead.taskInstance.getId(), lost);
            return; // not an error (db-scheduler would log it as one); a failing database throws something else
        }
        Instant last = dead.lastHeartbeat == null ? dead.executionTime : dead.lastHeartbeat;
        emit.accept(new ClusterEvent.SessionRecovered(
                dead.taskInstance.getId(),
                dead.pickedBy == null ? "unknown" : dead.pickedBy,
                workerId,
                Duration.between(last, clock.instant())));
        pickUp.run();
    }
}

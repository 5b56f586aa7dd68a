package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchResult;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunMetrics;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds an {@link OrchestraResult} from a session's state. */
final class Results {

    private static final Logger LOG = LoggerFactory.getLogger(Results.class);

    private Results() {}

    static OrchestraResult assemble(Coordinator c, RunStatus status, @Nullable String error) {
        SessionState st = c.state;
        List<BranchResult> branches = new ArrayList<>(st.branches.size());
        for (Branch b : st.branches.values()) {
            if (b.materialized) {
                branches.add(branch(c, b));
            }
        }
        Duration total = Duration.ofNanos(st.elapsedNanosBefore);
        List<Object> finals = status == RunStatus.COMPLETED ? st.finalResponses : partial(c);
        Object finalResponse = finals.isEmpty() ? null : finals.getLast();
        List<String> checkpointIds;
        String unavailable = null;
        try {
            checkpointIds = checkpointIds(c);
        } catch (RuntimeException e) {
            // The run has ended and its final state is stored: a failed read of this list must not turn the result
            // into an exception (a caller would take the run for failed and run it again). The result says so.
            checkpointIds = List.of();
            unavailable = "could not list the checkpoints of session '" + c.spec.sessionId() + "': " + e.getMessage();
            LOG.warn("{}; the result lists none", unavailable, e);
        }
        Map<String, Object> metadata = metadata(c, branches.size(), unavailable);
        RunMetrics metrics = RunMetrics.builder()
                .steps(st.steps)
                .branches(branches.size())
                .invocations(st.invocations)
                .retries(st.retries)
                .timeouts(st.timeouts)
                .inputTokens(st.inputTokens)
                .outputTokens(st.outputTokens)
                .wallTime(total)
                .busyTime(Duration.ofNanos(st.busyNanos))
                .build();
        return OrchestraResult.builder()
                .sessionId(c.spec.sessionId())
                .status(status)
                .finalResponse(finalResponse)
                .finalResponses(finals)
                .branchResults(branches)
                .totalSteps(st.steps)
                .totalDuration(total)
                .metadata(metadata)
                .error(Optional.ofNullable(error))
                .checkpointIds(checkpointIds)
                .pendingQuestions(c.machine.users.pending())
                .executionTrace(st.trace)
                .metrics(metrics)
                .ownershipLost(c.persistence.faults.isOwnershipLost())
                .build();
    }

    /**
     * The result's metadata: what agents set, and the engine's three keys (those win, as before); {@code
     * checkpoint_ids_unavailable} when the checkpoint list could not be read.
     */
    private static Map<String, Object> metadata(Coordinator c, int branches, @Nullable String checkpointsUnavailable) {
        SessionState st = c.state;
        if (checkpointsUnavailable != null) {
            Map<String, Object> metadata = new LinkedHashMap<>(metadata(c, branches, null));
            metadata.put("checkpoint_ids_unavailable", checkpointsUnavailable);
            return metadata;
        }
        if (st.resultMetadata.isEmpty()) { // nearly always: built immutable at once, so the result copies nothing
            return Map.of(
                    "topology_digest", c.plan.topology.digest(), "follow_ups", st.followUps, "branches", branches);
        }
        Map<String, Object> metadata = new LinkedHashMap<>(st.resultMetadata);
        metadata.put("topology_digest", c.plan.topology.digest());
        metadata.put("follow_ups", st.followUps);
        metadata.put("branches", branches);
        return metadata;
    }

    /** Named checkpoints of the session: from storage when there is one (they outlive restores), else none. */
    private static List<String> checkpointIds(Coordinator c) {
        return c.spec.stateManager()
                .map(m -> m.listCheckpoints(c.spec.sessionId()).stream()
                        .map(dev.orchestra4j.state.CheckpointInfo::id)
                        .toList())
                .orElse(List.of());
    }

    /** For runs that did not complete: what reached the sink so far (partial results are kept). */
    private static List<Object> partial(Coordinator c) {
        List<Object> values = new ArrayList<>(c.state.finalResponses);
        if (c.state.rootBarrier != null) {
            c.state.root().arrivals.forEach(a -> {
                if (!values.contains(a.value())) {
                    values.add(a.value());
                }
            });
        }
        return values;
    }

    private static BranchResult branch(Coordinator c, Branch b) {
        TraceStep[] trace = new TraceStep[b.traceIndexes.size()];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = c.state.trace.get(b.traceIndexes.get(i));
        }
        Duration lived = Duration.between(b.createdAt, b.endedAt == null ? c.now() : b.endedAt);
        return BranchResult.builder()
                .branchId(b.id)
                .parentBranchId(b.parentId)
                .status(b.status())
                .output(b.output)
                .agents(b.agents)
                .steps(b.steps)
                .duration(lived.isNegative() ? Duration.ZERO : lived)
                .error(Optional.ofNullable(b.failure()))
                .trace(List.of(trace)) // copied once here; the builder keeps an immutable list as it is
                .build();
    }
}

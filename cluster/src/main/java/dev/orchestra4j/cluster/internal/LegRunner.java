package dev.orchestra4j.cluster.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.orchestra4j.cluster.ClusterEvent;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.user.UserQuestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What a worker does with a session row it picked: it reads the stored session and its inbox, decides (the table
 * below), runs legs until the session has nothing left to do, then gives the row up. Every decision starts from
 * storage (the instance's cached copy is released first, core C1), so a session that ran on other workers since is
 * never continued from a stale copy.
 *
 * <pre>
 * stored status        inbox                      action
 * terminal             anything                   delete the inbox, remove the row
 * RUNNING              anything                   recover (the step in flight runs again)
 * CREATED / suspended  CANCEL                     cancel, then look again
 * CREATED              -                          start
 * WAITING_FOR_USER     ANSWER to a pending one    respond (more answers: next legs, or live)
 * PAUSED               RESUME                     resume with its context
 * suspended            nothing that applies       remove the row, then recheck the inbox
 * </pre>
 */
final class LegRunner implements ExecutionHandler<String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterNode node;

    LegRunner(ClusterNode node) {
        this.node = node;
    }

    /** A leg to run: why, and how. */
    private record Leg(String reason, List<Long> applies, Supplier<@Nullable OrchestraResult> run) {}

    @Override
    public CompletionHandler<String> execute(TaskInstance<String> row, ExecutionContext context) {
        String sessionId = row.getId();
        String name = row.getData();
        OrchestraInstance instance = node.instance(name);
        if (node.draining) {
            return handOver(sessionId);
        }
        Leases.Lease lease = node.leases.open(sessionId, name, context.getCurrentlyExecuting());
        try {
            instance.release(sessionId);
            return loop(sessionId, name, instance, lease);
        } finally {
            instance.release(sessionId); // a suspended session costs this worker nothing (R3)
            node.leases.close(lease);
        }
    }

    private CompletionHandler<String> loop(
            String sessionId, String name, OrchestraInstance instance, Leases.Lease lease) {
        while (true) {
            if (!lease.holds()) {
                node.emit(new ClusterEvent.OwnershipLost(sessionId, node.config.workerId()));
                return (done, ops) -> ops.reschedule(done, node.config.clock().instant());
            }
            Optional<StoredSession> loaded = StoredSession.load(node.manager, sessionId);
            if (loaded.isEmpty()) {
                node.inbox.deleteAll(sessionId);
                return released(sessionId, "DELETED", (done, ops) -> ops.remove());
            }
            StoredSession stored = loaded.get();
            if (stored.isTerminal()) {
                node.inbox.deleteAll(sessionId);
                return released(sessionId, stored.status(), (done, ops) -> ops.remove());
            }
            Leg leg = decide(sessionId, instance, stored, node.inbox.pending(sessionId));
            if (leg == null) {
                return released(sessionId, stored.status(), (done, ops) -> {
                    ops.remove();
                    if (node.inbox.hasPending(sessionId)) { // arrived after our last look: never stranded
                        node.wake(sessionId, name);
                    }
                });
            }
            if (node.draining) {
                return handOver(sessionId);
            }
            node.emit(new ClusterEvent.LegStarted(
                    sessionId, node.config.workerId(), leg.reason(), stored.journalSequence()));
            OrchestraResult result = leg.run().get();
            instance.release(sessionId);
            node.inbox.markApplied(sessionId, leg.applies());
            if (result != null && result.isOwnershipLost()) {
                node.emit(new ClusterEvent.OwnershipLost(sessionId, node.config.workerId()));
                return (done, ops) -> ops.reschedule(done, node.config.clock().instant());
            }
            if (node.draining && result != null && result.status() == RunStatus.PAUSED) {
                node.inbox.insert(sessionId, Inbox.Kind.RESUME, null, "{}");
                return handOver(sessionId);
            }
        }
    }

    /**
     * The next leg for a suspended or orphaned session, or null when nothing applies. Rows that no longer apply to the
     * stored state (answers to questions that are not pending, resumes of a session that is not paused, pauses of one
     * not running) are marked applied here, so that every row left pending leads to a leg.
     */
    private @Nullable Leg decide(
            String sessionId, OrchestraInstance instance, StoredSession stored, List<Inbox.Row> rows) {
        String status = stored.status();
        Set<String> pending = stored.pendingQuestions().stream()
                .map(UserQuestion::interactionId)
                .collect(Collectors.toSet());
        List<Long> stale = new ArrayList<>();
        Inbox.Row answer = null;
        Inbox.Row resume = null;
        Inbox.Row cancel = null;
        for (Inbox.Row row : rows) {
            switch (row.kind()) {
                case ANSWER -> {
                    if (!pending.contains(row.interactionId())) {
                        stale.add(row.seq()); // applied already (its question is answered in storage), or a duplicate
                    } else if (answer == null && status.equals(RunStatus.WAITING_FOR_USER.name())) {
                        answer = row;
                    }
                }
                case RESUME -> {
                    if (!status.equals(RunStatus.PAUSED.name())) {
                        stale.add(row.seq());
                    } else if (resume == null) {
                        resume = row;
                    }
                }
                case PAUSE -> {
                    if (!status.equals(StoredSession.RUNNING)) {
                        stale.add(row.seq()); // a suspended session is paused already
                    }
                }
                case CANCEL -> cancel = cancel == null ? row : cancel;
            }
        }
        node.inbox.markApplied(sessionId, stale);
        if (status.equals(StoredSession.RUNNING)) {
            return new Leg("RECOVER", List.of(), () -> instance.recoverSession(sessionId, Map.of()));
        }
        if (cancel != null) {
            return new Leg("CANCEL", List.of(cancel.seq()), () -> {
                instance.cancelSession(sessionId);
                return null;
            });
        }
        if (status.equals(StoredSession.CREATED)) {
            return new Leg("START", List.of(), () -> instance.resumeSession(sessionId, Map.of()));
        }
        if (answer != null) {
            Inbox.Row a = answer;
            return new Leg("ANSWER", List.of(), () -> {
                node.emit(
                        new ClusterEvent.InboxApplied(sessionId, node.config.workerId(), "ANSWER", a.interactionId()));
                return instance.respond(sessionId, a.interactionId(), a.payload());
            });
        }
        if (resume != null) {
            Map<String, Object> context = context(resume.payload());
            return new Leg("RESUME", List.of(resume.seq()), () -> instance.resumeSession(sessionId, context));
        }
        return null;
    }

    private static Map<String, Object> context(String payload) {
        try {
            return JSON.readValue(payload, new TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("inbox RESUME payload is not a JSON object: " + payload, e);
        }
    }

    /** A draining worker leaves the row due now, untouched, for another worker. */
    private CompletionHandler<String> handOver(String sessionId) {
        return released(
                sessionId,
                "HANDED_OVER",
                (done, ops) -> ops.reschedule(done, node.config.clock().instant()));
    }

    private CompletionHandler<String> released(String sessionId, String status, CompletionHandler<String> then) {
        return (done, ops) -> {
            then.complete(done, ops);
            node.emit(new ClusterEvent.LegReleased(sessionId, node.config.workerId(), status));
        };
    }
}

package dev.orchestra4j.cluster.internal;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.SessionSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What any node, worker or client, does for a caller: submit, write the inbox, read and wait for outcomes. */
public final class ClusterClient {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterClient.class);
    private static final long WATCH_MILLIS = 50;
    /** While storage keeps failing, one warning per this many looks (every 10 s at one look per 50 ms). */
    private static final int FAILED_LOOKS_PER_WARNING = 200;

    private final ClusterNode node;
    private final Map<String, List<Watch>> watched = new ConcurrentHashMap<>();

    /** A caller waiting for a session's stop; only a look that began after {@code since} may complete it. */
    private record Watch(CompletableFuture<StoredSession> stop, long since) {}

    private @Nullable ScheduledFuture<?> poller;
    /** Looks in a row that failed (storage unreachable); only the poller's thread touches it. */
    private int failedLooks;

    public ClusterClient(ClusterNode node) {
        this.node = node;
    }

    public String submit(String instanceName, Object task, Map<String, Object> context) {
        OrchestraInstance instance = node.instance(instanceName);
        String sessionId;
        try {
            sessionId = instance.createSession(task, context);
        } catch (SessionException e) {
            Object id = context.get("session_id");
            boolean unstarted = id != null
                    && StoredSession.load(node.manager, id.toString())
                            .map(s -> s.status().equals(StoredSession.CREATED))
                            .orElse(false);
            if (!unstarted) {
                throw e;
            }
            sessionId = id.toString(); // a retried submit whose first attempt stored the session but did not wake it
        }
        node.wake(sessionId, instanceName);
        return sessionId;
    }

    /** An answer taken (or found to be a duplicate), and the session's next stop. */
    public record Answered(String interactionId, boolean duplicate, CompletableFuture<StoredSession> nextStop) {}

    public Answered respond(String sessionId, @Nullable String interactionId, String answer) {
        StoredSession stored = load(sessionId);
        String id = interactionId != null
                ? interactionId
                : stored.pendingQuestions().stream()
                        .map(UserQuestion::interactionId)
                        .findFirst()
                        .orElseThrow(() ->
                                new SessionException("session '" + sessionId + "' has no pending question to answer"));
        boolean pending = stored.pendingQuestions().stream()
                .anyMatch(q -> q.interactionId().equals(id));
        if (!pending) {
            if (node.inbox.hasAnswer(sessionId, id)) {
                return new Answered(id, true, nextStop(sessionId));
            }
            throw new SessionException(
                    "session '" + sessionId + "' has no pending question '" + id + "' (it is " + stored.status() + ")");
        }
        OptionalLong seq = node.inbox.insert(sessionId, Inbox.Kind.ANSWER, id, answer);
        if (seq.isEmpty()) {
            return new Answered(id, true, nextStop(sessionId));
        }
        node.wake(sessionId, instanceOf(sessionId));
        return new Answered(id, false, nextStop(sessionId));
    }

    /** Writes a PAUSE, RESUME or CANCEL row and makes sure a worker looks at it. */
    public void control(String sessionId, Inbox.Kind kind, String payload) {
        String instanceName = instanceOf(sessionId);
        node.inbox.insert(sessionId, kind, null, payload);
        node.wake(sessionId, instanceName);
    }

    public Optional<StoredSession> outcome(String sessionId) {
        return StoredSession.load(node.manager, sessionId);
    }

    public StoredSession await(String sessionId, Duration timeout) {
        load(sessionId);
        CompletableFuture<StoredSession> stop = watch(sessionId);
        try {
            return stop.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop.cancel(false);
            StoredSession now = load(sessionId);
            throw new SessionException(
                    "session '" + sessionId + "' did not stop within " + timeout + "; it is " + now.status());
        } catch (InterruptedException e) {
            stop.cancel(false);
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted while awaiting session '" + sessionId + "'", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new SessionException("awaiting session '" + sessionId + "' failed", e.getCause());
        }
    }

    private CompletableFuture<StoredSession> nextStop(String sessionId) {
        return watch(sessionId);
    }

    /**
     * Completes when the session has stopped: it is not RUNNING or CREATED, has no run row and nothing pending in its
     * inbox (so an answer or resume not yet taken does not count as a stop). One poller on the node's timer checks
     * every watched session per tick: one query finds those still busy, only the others are read from storage.
     */
    private CompletableFuture<StoredSession> watch(String sessionId) {
        CompletableFuture<StoredSession> stop = new CompletableFuture<>();
        watched.computeIfAbsent(sessionId, id -> new CopyOnWriteArrayList<>()).add(new Watch(stop, System.nanoTime()));
        startPoller();
        return stop;
    }

    private synchronized void startPoller() {
        if (poller == null) {
            poller = node.timer().scheduleWithFixedDelay(this::tick, 0, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        if (watched.isEmpty()) {
            return;
        }
        long began = System.nanoTime();
        Set<String> ids = Set.copyOf(watched.keySet());
        try {
            Set<String> busy = node.busy(ids);
            for (String id : ids) {
                if (!busy.contains(id)) {
                    look(id, began);
                }
            }
            failedLooks = 0;
        } catch (RuntimeException e) {
            // a database blip: look again at the next tick, but never silently
            if (failedLooks++ % FAILED_LOOKS_PER_WARNING == 0) {
                LOG.warn(
                        "could not look at {} awaited session(s) ({} failed look(s) in a row); retrying every {} ms",
                        ids.size(),
                        failedLooks,
                        WATCH_MILLIS,
                        e);
            }
        }
        watched.values().forEach(list -> list.removeIf(w -> w.stop().isDone())); // completed, or given up
        watched.entrySet().removeIf(e -> e.getValue().isEmpty());
    }

    /** Completes the watches of {@code id} older than this look when it stopped, or when it is no longer stored. */
    private void look(String id, long began) {
        Optional<StoredSession> stored = StoredSession.load(node.manager, id);
        if (stored.isEmpty()) { // deleted while awaited: it will never stop, so say so now
            SessionException gone = new SessionException(
                    "session '" + id + "' was deleted from " + node.manager.backendName() + " storage while awaited");
            watched.getOrDefault(id, List.of()).forEach(w -> w.stop().completeExceptionally(gone));
            return;
        }
        String status = stored.get().status();
        if (!status.equals(StoredSession.RUNNING) && !status.equals(StoredSession.CREATED)) {
            watched.getOrDefault(id, List.of()).stream()
                    .filter(w -> w.since() < began) // a later caller's answer may not be in this look
                    .forEach(w -> w.stop().complete(stored.get()));
        }
    }

    private StoredSession load(String sessionId) {
        return StoredSession.load(node.manager, sessionId)
                .orElseThrow(() -> new SessionException("unknown session '" + sessionId + "': it is not in "
                        + node.manager.backendName() + " storage"));
    }

    /** The instance a stored session belongs to, told by its topology. */
    private String instanceOf(String sessionId) {
        SessionSnapshot snapshot = node.manager
                .loadSession(sessionId)
                .orElseThrow(() -> new SessionException("unknown session '" + sessionId + "'"));
        for (Map.Entry<String, OrchestraInstance> e : node.instances.entrySet()) {
            if (e.getValue().topology().digest().equals(snapshot.topologyDigest())) {
                return e.getKey();
            }
        }
        throw new SessionException("session '" + sessionId + "' runs a topology no instance of this node has (digest "
                + snapshot.topologyDigest() + "); register the same instances on every node");
    }
}

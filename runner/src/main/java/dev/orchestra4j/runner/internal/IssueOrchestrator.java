package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.AgentRunner;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Tracker;
import dev.orchestra4j.runner.TrackerException;
import dev.orchestra4j.runner.Turn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one authority over scheduling state (Symphony §7–§8): every mutation runs on one actor ({@link Parts#actor()},
 * a single virtual thread in production, a hand-driven queue in tests). Ticks reconcile, fetch, sort and dispatch;
 * worker exits schedule continuation or failure retries; retries re-check the tracker before running again. The
 * running table, retry queue and blocked issues are saved to a {@link RunnerStore} after every change, and {@link
 * #start()} picks them up again: a running entry left by a crash is dispatched to recover its session.
 */
public final class IssueOrchestrator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IssueOrchestrator.class);

    /**
     * The orchestrator's collaborators.
     *
     * @param config the current (last good) config
     * @param prompt the current prompt template
     * @param configError the last reload error, if the current file is broken
     * @param reload checks the workflow file for changes; runs before every tick
     * @param tracker the issue tracker
     * @param workspaces workspaces and hooks
     * @param agents runs turns
     * @param clock the clock
     * @param scheduler timers
     * @param actor runs every state change, one at a time, in order
     * @param workers makes the worker threads
     * @param store the durable table
     * @param metrics meters
     * @param sessionLogs directory of per-session logs
     */
    public record Parts(
            Supplier<RunnerConfig> config,
            Supplier<PromptTemplate> prompt,
            Supplier<Optional<String>> configError,
            Runnable reload,
            Tracker tracker,
            Workspaces workspaces,
            AgentRunner agents,
            Clock clock,
            Scheduler scheduler,
            Executor actor,
            ThreadFactory workers,
            RunnerStore store,
            RunnerMetrics metrics,
            Path sessionLogs) {}

    /** What {@link #respond} did. */
    public enum Answered {
        CONTINUED,
        NOT_BLOCKED,
        UNKNOWN_ISSUE
    }

    private final Parts parts;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Map<String, Retry> retrying = new LinkedHashMap<>();
    private final Map<String, Blocked> blocked = new LinkedHashMap<>();
    private final Map<String, IssueRecord> records = new LinkedHashMap<>();
    private final Set<String> completed = new HashSet<>();
    private long generation;
    private long inputTokens;
    private long outputTokens;
    private double secondsRunning;
    private Scheduler.@Nullable Cancellable tickTimer;
    private boolean refreshQueued;
    private volatile boolean closing;

    public IssueOrchestrator(Parts parts) {
        this.parts = parts;
    }

    // ---------------------------------------------------------------- public, thread-safe

    /** Restores the saved table, removes workspaces of terminal issues and runs the first tick. */
    public void start() {
        post(() -> {
            restore();
            sweepTerminalWorkspaces();
            tick();
        });
    }

    /** Queues an immediate poll and reconcile; a request while one is queued is coalesced. */
    public CompletableFuture<Map<String, Object>> requestRefresh() {
        return call(() -> {
            boolean coalesced = refreshQueued;
            if (!coalesced) {
                refreshQueued = true;
                post(this::tick);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("queued", true);
            out.put("coalesced", coalesced);
            out.put("requested_at", now().toString());
            out.put("operations", List.of("poll", "reconcile"));
            return out;
        });
    }

    /** The {@code /api/v1/state} document. */
    public CompletableFuture<Map<String, Object>> state() {
        return call(() -> OrchestratorViews.state(this));
    }

    /** The {@code /api/v1/<identifier>} document, if the issue is known. */
    public CompletableFuture<Optional<Map<String, Object>>> issue(String identifier) {
        return call(() -> OrchestratorViews.issue(this, identifier));
    }

    /** Continues a blocked issue's session with the operator's answer. */
    public CompletableFuture<Answered> respond(String identifier, String answer) {
        return call(() -> {
            Optional<Blocked> waiting = blocked.values().stream()
                    .filter(b -> b.issue.identifier().equals(identifier))
                    .findFirst();
            if (waiting.isEmpty()) {
                return recordByIdentifier(identifier).isPresent() ? Answered.NOT_BLOCKED : Answered.UNKNOWN_ISSUE;
            }
            Blocked b = waiting.get();
            blocked.remove(b.issue.id());
            record(b.issue).event(now(), "operator_answered", answer);
            dispatch(b.issue, b.attempt, new Turn.Start.Answer(answer), b.sessionPrefix, b.turn, false);
            persist();
            return Answered.CONTINUED;
        });
    }

    /** Records the evidence of a proof-of-work gate run, shown under {@code proof}. */
    public void recordProof(Issue issue, Map<String, Object> evidence) {
        post(() -> {
            IssueRecord r = record(issue);
            r.proof.add(evidence);
            r.event(now(), Boolean.TRUE.equals(evidence.get("passed")) ? "proof_passed" : "proof_failed", "");
            persist();
        });
    }

    /** Stops timers and workers; running entries stay in the store, so the next start recovers their sessions. */
    @Override
    public void close() {
        CompletableFuture<Void> done = call(() -> {
            closing = true;
            persist();
            if (tickTimer != null) {
                tickTimer.cancel();
            }
            retrying.values().forEach(r -> r.timer.cancel());
            running.values().forEach(r -> r.thread.interrupt());
            return null;
        });
        try {
            done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("orchestrator shutdown incomplete reason=\"{}\"", e.toString());
        }
    }

    // ---------------------------------------------------------------- tick

    void tick() {
        refreshQueued = false;
        if (closing) {
            return;
        }
        if (tickTimer != null) {
            tickTimer.cancel();
            tickTimer = null;
        }
        try {
            pollOnce();
        } finally {
            // the next tick is scheduled whatever this one met, so one bad tick can never stop the polling
            Duration interval = parts.config().get().pollInterval();
            tickTimer = parts.scheduler().schedule(interval, () -> post(this::tick));
        }
    }

    private void pollOnce() {
        try {
            parts.reload().run();
        } catch (RuntimeException e) {
            LOG.warn("workflow reload check failed reason=\"{}\"", e.getMessage());
        }
        reconcile();
        RunnerConfig config = parts.config().get();
        List<Issue> candidates = new ArrayList<>();
        try {
            candidates.addAll(
                    parts.tracker().fetchIssuesByStates(config.tracker().activeStates()));
        } catch (TrackerException e) {
            LOG.warn("candidate fetch failed outcome=skipped_dispatch reason=\"{}\"", e.getMessage());
        }
        candidates.sort(Retries.DISPATCH_ORDER);
        for (Issue issue : candidates) {
            if (isEligible(issue, config)) {
                dispatch(issue, null, new Turn.Start.Fresh(""), null, 1, false);
            }
        }
        persist();
    }

    private boolean isEligible(Issue issue, RunnerConfig config) {
        return Retries.isRoutable(issue, config)
                && !running.containsKey(issue.id())
                && !retrying.containsKey(issue.id())
                && !blocked.containsKey(issue.id())
                && Retries.hasSlot(issue.state(), runningStates(), config);
    }

    private List<String> runningStates() {
        return running.values().stream().map(r -> r.issue.state()).toList();
    }

    // ---------------------------------------------------------------- dispatch and exits

    private void dispatch(
            Issue issue,
            @Nullable Integer attempt,
            Turn.Start start,
            @Nullable String sessionPrefix,
            int firstTurn,
            boolean resumed) {
        IssueRecord record = record(issue);
        String prefix = sessionPrefix;
        if (prefix == null) {
            record.runs++;
            String key = Workspaces.key(issue.identifier());
            prefix = (key.length() > 80 ? key.substring(0, 80) : key) + "-r" + record.runs;
        }
        if (attempt != null && start instanceof Turn.Start.Fresh) {
            record.restartCount++;
        }
        record.resumed = resumed;
        Running r = new Running(issue, attempt, prefix, firstTurn, now(), ++generation, resumed);
        running.put(issue.id(), r);
        Worker worker = new Worker(
                new Worker.Assignment(issue, attempt, prefix, firstTurn, start),
                parts.config(),
                parts.prompt(),
                parts.tracker(),
                parts.workspaces(),
                parts.agents(),
                new Events(issue.id(), r.generation));
        r.thread = parts.workers().newThread(worker);
        record.event(now(), resumed ? "resumed" : "dispatched", "attempt=" + (attempt == null ? "first" : attempt));
        LOG.info(
                "dispatch issue_id={} issue_identifier={} attempt={} outcome={}",
                issue.id(),
                issue.identifier(),
                attempt,
                resumed ? "resumed" : "started");
        parts.metrics().dispatch(resumed ? "resumed" : "started");
        r.thread.start();
    }

    private void onExit(String issueId, long gen, Worker.Exit exit) {
        Running r = running.get(issueId);
        if (r == null || r.generation != gen || closing) {
            return;
        }
        running.remove(issueId);
        secondsRunning += Duration.between(r.startedAt, now()).toMillis() / 1000.0;
        IssueRecord record = record(r.issue);
        switch (exit) {
            case Worker.Exit.Normal normal -> {
                completed.add(issueId);
                record.event(now(), "completed", normal.reason());
                LOG.info(
                        "worker exited issue_id={} issue_identifier={} outcome=completed reason=\"{}\"",
                        issueId,
                        r.issue.identifier(),
                        normal.reason());
                parts.metrics().dispatch("completed");
                scheduleRetry(r.issue, 1, Retries.CONTINUATION, null, "continuation");
            }
            case Worker.Exit.Failed failed -> {
                record.lastError = failed.reason();
                record.event(now(), "failed", failed.reason());
                int attempt = (r.attempt == null ? 0 : r.attempt) + 1;
                LOG.warn(
                        "worker exited issue_id={} issue_identifier={} session_id={} outcome=failed attempt={} "
                                + "reason=\"{}\"",
                        issueId,
                        r.issue.identifier(),
                        r.sessionId,
                        attempt,
                        failed.reason());
                parts.metrics().dispatch("failed");
                scheduleRetry(r.issue, attempt, backoff(attempt), "worker exited: " + failed.reason(), "failure");
            }
            case Worker.Exit.Blocked asked -> {
                blocked.put(issueId, new Blocked(r, asked.question(), asked.sessionId(), asked.turn(), now()));
                record.event(now(), "blocked", asked.question());
                LOG.info(
                        "worker exited issue_id={} issue_identifier={} session_id={} outcome=blocked",
                        issueId,
                        r.issue.identifier(),
                        asked.sessionId());
                parts.metrics().dispatch("blocked");
            }
            case Worker.Exit.Interrupted interrupted -> record.event(now(), "stopped", "worker interrupted");
        }
        persist();
    }

    private Duration backoff(int attempt) {
        return Retries.failureBackoff(attempt, parts.config().get().agent().maxRetryBackoff());
    }

    private void scheduleRetry(Issue issue, int attempt, Duration delay, @Nullable String error, String kind) {
        Retry old = retrying.remove(issue.id());
        if (old != null) {
            old.timer.cancel();
        }
        Retry retry = new Retry(issue, attempt, now().plus(delay), error, kind, ++generation);
        retry.timer = parts.scheduler().schedule(delay, () -> post(() -> retryDue(issue.id(), retry.token)));
        retrying.put(issue.id(), retry);
        parts.metrics().retry(kind);
        LOG.info(
                "retry scheduled issue_id={} issue_identifier={} outcome=retrying kind={} attempt={} delay_ms={}",
                issue.id(),
                issue.identifier(),
                kind,
                attempt,
                delay.toMillis());
    }

    private void retryDue(String issueId, long token) {
        Retry retry = retrying.get(issueId);
        if (retry == null || retry.token != token || closing) {
            return;
        }
        retrying.remove(issueId);
        RunnerConfig config = parts.config().get();
        List<Issue> fresh;
        try {
            fresh = parts.tracker().fetchIssuesByIds(List.of(issueId));
        } catch (TrackerException e) {
            scheduleRetry(
                    retry.issue, retry.attempt + 1, backoff(retry.attempt + 1), "retry refresh failed", "failure");
            persist();
            return;
        }
        if (fresh.isEmpty()) {
            release(retry.issue, "issue no longer visible");
        } else if (config.tracker().isTerminal(fresh.get(0).state())) {
            parts.workspaces().remove(fresh.get(0).identifier());
            release(fresh.get(0), "terminal: " + fresh.get(0).state());
        } else if (!Retries.isRoutable(fresh.get(0), config)) {
            release(fresh.get(0), "not active: " + fresh.get(0).state());
        } else if (!Retries.hasSlot(fresh.get(0).state(), runningStates(), config)) {
            scheduleRetry(
                    fresh.get(0),
                    retry.attempt + 1,
                    backoff(retry.attempt + 1),
                    "no available orchestrator slots",
                    "slots");
        } else {
            dispatch(fresh.get(0), retry.attempt, new Turn.Start.Fresh(""), null, 1, false);
        }
        persist();
    }

    private void release(Issue issue, String reason) {
        record(issue).event(now(), "released", reason);
        LOG.info(
                "claim released issue_id={} issue_identifier={} reason=\"{}\"", issue.id(), issue.identifier(), reason);
    }

    // ---------------------------------------------------------------- reconciliation

    private void reconcile() {
        RunnerConfig config = parts.config().get();
        long stallMs = config.codex().stallTimeout().toMillis();
        if (stallMs > 0) {
            for (Running r : List.copyOf(running.values())) {
                Instant last = r.lastEventAt == null ? r.startedAt : r.lastEventAt;
                if (Duration.between(last, now()).toMillis() > stallMs) {
                    stop(r, "stalled");
                    int attempt = (r.attempt == null ? 0 : r.attempt) + 1;
                    record(r.issue).lastError = "stalled: no agent event for more than " + stallMs + " ms";
                    scheduleRetry(r.issue, attempt, backoff(attempt), record(r.issue).lastError, "failure");
                }
            }
        }
        List<String> ids = new ArrayList<>(running.keySet());
        ids.addAll(blocked.keySet());
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Issue> fresh = new LinkedHashMap<>();
        try {
            parts.tracker().fetchIssuesByIds(ids).forEach(i -> fresh.put(i.id(), i));
        } catch (TrackerException e) {
            LOG.warn("reconcile refresh failed outcome=kept_workers reason=\"{}\"", e.getMessage());
            return;
        }
        for (String id : ids) {
            Issue now = fresh.get(id);
            Running r = running.get(id);
            Issue known = r != null ? r.issue : blocked.get(id).issue;
            String reason = now == null
                    ? "missing"
                    : config.tracker().isTerminal(now.state())
                            ? "terminal"
                            : Retries.isRoutable(now, config)
                                    ? null
                                    : config.tracker().isActive(now.state()) ? "unroutable" : "inactive";
            if (reason == null) {
                if (r != null) {
                    r.issue = now;
                }
                continue;
            }
            if (r != null) {
                stop(r, reason);
            } else {
                blocked.remove(id);
                release(known, reason);
            }
            if (reason.equals("terminal")) {
                parts.workspaces().remove(known.identifier());
            }
        }
    }

    private void stop(Running r, String reason) {
        running.remove(r.issue.id());
        r.thread.interrupt();
        parts.metrics().reconcileKill(reason);
        record(r.issue).event(now(), "stopped", reason);
        LOG.info(
                "worker stopped issue_id={} issue_identifier={} session_id={} outcome=stopped reason={}",
                r.issue.id(),
                r.issue.identifier(),
                r.sessionId,
                reason);
    }

    private void sweepTerminalWorkspaces() {
        try {
            RunnerConfig config = parts.config().get();
            for (Issue issue :
                    parts.tracker().fetchIssuesByStates(config.tracker().terminalStates())) {
                if (parts.workspaces().remove(issue.identifier())) {
                    LOG.info("workspace removed issue_identifier={} reason=terminal_at_startup", issue.identifier());
                }
            }
        } catch (TrackerException e) {
            LOG.warn("startup terminal sweep failed outcome=continuing reason=\"{}\"", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- persistence

    private void persist() {
        parts.store().save(OrchestratorViews.document(this));
        Map<String, Integer> byState = new LinkedHashMap<>();
        running.values().forEach(r -> byState.merge(r.issue.state(), 1, Integer::sum));
        parts.metrics().running(byState);
    }

    @SuppressWarnings("unchecked")
    private void restore() {
        Map<String, Object> doc = parts.store().load();
        ((Map<String, Map<String, Object>>) doc.getOrDefault("issues", Map.of()))
                .forEach((id, m) -> records.put(id, IssueRecord.fromJson(id, m)));
        List<Map<String, Object>> saved = (List<Map<String, Object>>) doc.getOrDefault("running", List.of());
        List<Map<String, Object>> queued = (List<Map<String, Object>>) doc.getOrDefault("retrying", List.of());
        List<Map<String, Object>> waiting = (List<Map<String, Object>>) doc.getOrDefault("blocked", List.of());
        List<String> ids = new ArrayList<>();
        saved.forEach(m -> ids.add((String) m.get("issue_id")));
        queued.forEach(m -> ids.add((String) m.get("issue_id")));
        waiting.forEach(m -> ids.add((String) m.get("issue_id")));
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Issue> fresh = new LinkedHashMap<>();
        try {
            parts.tracker().fetchIssuesByIds(ids).forEach(i -> fresh.put(i.id(), i));
        } catch (TrackerException e) {
            LOG.warn("restore refresh failed reason=\"{}\"; saved work is retried on the next ticks", e.getMessage());
            return;
        }
        RunnerConfig config = parts.config().get();
        for (Map<String, Object> m : waiting) {
            Issue issue = fresh.get((String) m.get("issue_id"));
            if (issue != null && Retries.isRoutable(issue, config)) {
                blocked.put(issue.id(), Blocked.fromJson(issue, m));
            }
        }
        for (Map<String, Object> m : queued) {
            Issue issue = fresh.get((String) m.get("issue_id"));
            if (issue != null) {
                Instant due = Instant.parse((String) m.get("due_at"));
                Duration delay =
                        Duration.between(now(), due).isNegative() ? Duration.ZERO : Duration.between(now(), due);
                scheduleRetry(
                        issue,
                        ((Number) m.get("attempt")).intValue(),
                        delay,
                        (String) m.get("error"),
                        String.valueOf(m.getOrDefault("kind", "failure")));
            }
        }
        for (Map<String, Object> m : saved) {
            Issue issue = fresh.get((String) m.get("issue_id"));
            if (issue == null || !Retries.isRoutable(issue, config)) {
                continue;
            }
            Integer attempt = m.get("attempt") instanceof Number n ? n.intValue() : null;
            dispatch(
                    issue,
                    attempt,
                    new Turn.Start.Recover(),
                    (String) m.get("session_prefix"),
                    ((Number) m.get("turn")).intValue(),
                    true);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void post(Runnable task) {
        parts.actor().execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("orchestrator step failed reason=\"{}\"", e.toString(), e);
            }
        });
    }

    private <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        parts.actor().execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    Instant now() {
        return parts.clock().instant();
    }

    IssueRecord record(Issue issue) {
        IssueRecord r = records.computeIfAbsent(issue.id(), id -> new IssueRecord(id, issue.identifier()));
        r.identifier = issue.identifier();
        r.url = issue.url();
        return r;
    }

    Optional<IssueRecord> recordByIdentifier(String identifier) {
        return records.values().stream()
                .filter(r -> r.identifier.equals(identifier))
                .findFirst();
    }

    Parts parts() {
        return parts;
    }

    Map<String, Running> running() {
        return running;
    }

    Map<String, Retry> retrying() {
        return retrying;
    }

    Map<String, Blocked> blocked() {
        return blocked;
    }

    Map<String, IssueRecord> records() {
        return records;
    }

    long[] totals() {
        long liveIn = running.values().stream().mapToLong(r -> r.inputTokens).sum();
        long liveOut = running.values().stream().mapToLong(r -> r.outputTokens).sum();
        return new long[] {inputTokens + liveIn, outputTokens + liveOut};
    }

    double secondsRunning() {
        return secondsRunning
                + running.values().stream()
                        .mapToDouble(r -> Duration.between(r.startedAt, now()).toMillis() / 1000.0)
                        .sum();
    }

    private void appendSessionLog(String sessionId, String line) {
        try {
            Files.createDirectories(parts.sessionLogs());
            Files.writeString(
                    parts.sessionLogs().resolve(sessionId + ".log"),
                    now() + " " + line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("session log not written session_id={} reason=\"{}\"", sessionId, e.getMessage());
        }
    }

    /** A worker's reports, posted to the actor and dropped once the worker is no longer the issue's current one. */
    private final class Events implements Worker.Events {
        private final String issueId;
        private final long gen;

        Events(String issueId, long gen) {
            this.issueId = issueId;
            this.gen = gen;
        }

        private void current(java.util.function.Consumer<Running> action) {
            post(() -> {
                Running r = running.get(issueId);
                if (r != null && r.generation == gen) {
                    action.accept(r);
                }
            });
        }

        @Override
        public void turnStarted(String sessionId, int turn, Path workspace) {
            current(r -> {
                r.sessionId = sessionId;
                r.turn = turn;
                r.lastEventAt = now();
                IssueRecord record = record(r.issue);
                record.workspace = workspace.toString();
                Map<String, Object> log = new LinkedHashMap<>();
                log.put("label", "turn " + turn);
                log.put("session_id", sessionId);
                log.put("path", parts.sessionLogs().resolve(sessionId + ".log").toString());
                if (record.sessions.stream().noneMatch(s -> sessionId.equals(s.get("session_id")))) {
                    record.sessions.add(log);
                }
                persist();
            });
        }

        @Override
        public void activity(String event, String message) {
            current(r -> {
                r.lastEventAt = now();
                r.lastEvent = event;
                r.lastMessage = message;
                record(r.issue).event(now(), event, message);
                if (r.sessionId != null) {
                    appendSessionLog(r.sessionId, event + ": " + message);
                }
            });
        }

        @Override
        public void heartbeat() {
            current(r -> r.lastEventAt = now());
        }

        @Override
        public void tokens(long input, long output) {
            current(r -> {
                r.lastEventAt = now();
                r.inputTokens = input;
                r.outputTokens = output;
            });
        }

        @Override
        public void exited(Worker.Exit exit) {
            post(() -> {
                Running r = running.get(issueId);
                if (r != null && r.generation == gen) {
                    inputTokens += r.inputTokens;
                    outputTokens += r.outputTokens;
                    r.inputTokens = 0;
                    r.outputTokens = 0;
                }
                onExit(issueId, gen, exit);
            });
        }
    }
}

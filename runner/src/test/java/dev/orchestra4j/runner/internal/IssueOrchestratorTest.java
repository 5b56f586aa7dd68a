package dev.orchestra4j.runner.internal;

import static dev.orchestra4j.runner.internal.Harness.issue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.Turn;
import dev.orchestra4j.runner.TurnOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class IssueOrchestratorTest {

    @TempDir
    Path dir;

    @Test
    void tick_sortsByPriorityThenCreatedAtThenIdentifier() {
        try (Harness h = new Harness(dir, "agent: {max_concurrent_agents: 1}")) {
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            h.tracker.put(
                    issue("n", "Todo").toBuilder().createdAt(t0.plusSeconds(5)).build());
            h.tracker.put(issue("p3", "Todo").toBuilder().priority(3).build());
            h.tracker.put(issue("p1", "Todo").toBuilder().priority(1).build());
            h.tracker.put(
                    issue("p7", "Todo").toBuilder().priority(7).createdAt(t0).build());
            h.started();

            List<String> order = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Harness.FakeAgent.Call call = h.agent.next();
                order.add(call.turn().issue().id());
                h.tracker.put(call.turn().issue().toBuilder().state("Done").build());
                call.outcome().complete(new TurnOutcome.Completed("ok"));
                h.actor.runUntil(() -> h.orchestrator.running().isEmpty());
                h.tick();
            }

            assertThat(order).containsExactly("p1", "p3", "p7", "n");
        }
    }

    @Test
    void tick_nonDispatchableAndUnlabelled_areNeverDispatched() {
        try (Harness h = new Harness(dir, "tracker: {kind: memory, required_labels: [Agent]}")) {
            h.tracker.put(issue("pr", "Todo").toBuilder()
                    .labels(List.of("agent"))
                    .dispatchable(false)
                    .build());
            h.tracker.put(issue("nolabel", "Todo"));
            h.tracker.put(issue("upper", "Todo").toBuilder()
                    .labels(List.of(" AGENT "))
                    .build());
            h.started();

            assertThat(h.agent.next().turn().issue().id()).isEqualTo("upper");
            assertThat(h.orchestrator.running()).containsOnlyKeys("upper");
        }
    }

    @Test
    void tick_blankRequiredLabel_matchesNothing() {
        try (Harness h = new Harness(dir, "tracker: {kind: memory, required_labels: [\" \"]}")) {
            h.tracker.put(issue("a", "Todo").toBuilder().labels(List.of("x")).build());
            h.started();

            assertThat(h.orchestrator.running()).isEmpty();
        }
    }

    @Test
    void tick_globalAndPerStateSlots_bound() {
        try (Harness h = new Harness(
                dir, "agent: {max_concurrent_agents: 2, max_concurrent_agents_by_state: {\"in progress\": 1}}")) {
            for (int i = 1; i <= 5; i++) {
                h.tracker.put(issue("t" + i, "Todo"));
            }
            h.started();
            assertThat(h.orchestrator.running()).hasSize(2);
        }
        try (Harness h = new Harness(
                dir.resolve("b"),
                "agent: {max_concurrent_agents: 5, max_concurrent_agents_by_state: {\"in progress\": 1}}")) {
            h.tracker.put(issue("a", "In Progress"));
            h.tracker.put(issue("b", "In Progress"));
            h.tracker.put(issue("c", "Todo"));
            h.started();
            assertThat(h.orchestrator.running()).containsOnlyKeys("a", "c");
        }
    }

    @Test
    void exit_normalWhileActive_redispatchesAfterOneSecondWithAttemptOne() {
        try (Harness h = new Harness(dir, "agent: {max_turns: 1}")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            Harness.FakeAgent.Call first = h.agent.next();
            assertThat(first.turn().attempt()).isNull();
            first.outcome().complete(new TurnOutcome.Completed("ok"));
            h.actor.runUntil(() -> h.orchestrator.running().isEmpty());

            Map<String, Object> retry = h.list("retrying").get(0);
            assertThat(retry).containsEntry("attempt", 1).containsEntry("issue_identifier", "ISS-a");
            assertThat(retry.get("due_at"))
                    .isEqualTo(h.clock.instant().plusSeconds(1).toString());

            h.advance(Duration.ofMillis(999));
            assertThat(h.orchestrator.running()).isEmpty();
            h.advance(Duration.ofMillis(1));
            assertThat(h.agent.next().turn().attempt()).isEqualTo(1);
        }
    }

    @Test
    void exit_consecutiveFailures_backOff10s20s40sCapped() {
        try (Harness h = new Harness(dir, "agent: {max_retry_backoff_ms: 30000}")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                h.agent.next().outcome().complete(new TurnOutcome.Failed("boom"));
                h.actor.runUntil(() -> h.orchestrator.retrying().containsKey("a"));
                Retry retry = h.orchestrator.retrying().get("a");
                assertThat(retry.error).isEqualTo("worker exited: boom");
                delays.add(Duration.between(h.clock.instant(), retry.dueAt).toSeconds());
                h.advance(Duration.between(h.clock.instant(), retry.dueAt));
            }
            assertThat(delays).containsExactly(10L, 20L, 30L);
        }
        assertThat(Retries.failureBackoff(3, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(40));
        assertThat(Retries.failureBackoff(10, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void retryDue_noSlot_requeuesWithError() {
        try (Harness h = new Harness(dir, "agent: {max_concurrent_agents: 1}")) {
            h.tracker.put(issue("a", "Todo").toBuilder().priority(1).build());
            h.started();
            h.agent.next().outcome().complete(new TurnOutcome.Failed("boom"));
            h.actor.runUntil(() -> h.orchestrator.retrying().containsKey("a"));
            h.tracker.put(issue("b", "Todo"));
            h.tick();
            h.agent.next();
            h.advance(Duration.ofSeconds(10));

            Map<String, Object> retry = h.list("retrying").get(0);
            assertThat(retry)
                    .containsEntry("error", "no available orchestrator slots")
                    .containsEntry("attempt", 2);
        }
    }

    @Test
    void reconcile_terminal_stopsAgentAndRemovesWorkspace() throws Exception {
        try (Harness h = new Harness(dir, "hooks: {before_remove: \"touch ../removed-marker\"}")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            Harness.FakeAgent.Call call = h.agent.next();
            Path workspace = call.turn().workspace();
            assertThat(workspace).isDirectory();

            h.tracker.put(issue("a", "Done"));
            h.tick();

            assertThat(h.orchestrator.running()).isEmpty();
            assertThat(workspace).doesNotExist();
            assertThat(workspace.resolveSibling("removed-marker")).exists();
            assertThat(h.registry
                            .counter(RunnerMetrics.RECONCILE_KILLS, "reason", "terminal")
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void reconcile_inactiveOrUnlabelled_stopsAgentAndKeepsWorkspace() {
        try (Harness h = new Harness(dir, "tracker: {kind: memory, required_labels: [agent]}")) {
            h.tracker.put(
                    issue("a", "Todo").toBuilder().labels(List.of("agent")).build());
            h.tracker.put(
                    issue("b", "Todo").toBuilder().labels(List.of("agent")).build());
            h.started();
            Path wa = h.agent.next().turn().workspace();
            Path wb = h.agent.next().turn().workspace();

            h.tracker.put(
                    issue("a", "Backlog").toBuilder().labels(List.of("agent")).build());
            h.tracker.put(issue("b", "Todo"));
            h.tick();

            assertThat(h.orchestrator.running()).isEmpty();
            assertThat(wa).isDirectory();
            assertThat(wb).isDirectory();
        }
    }

    @Test
    void reconcile_stall_killsAndRetries_zeroDisables() {
        try (Harness h = new Harness(dir, "codex: {stall_timeout_ms: 5000}\npolling: {interval_ms: 1000000}")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            h.agent.next();
            h.actor.drain();
            h.advance(Duration.ofSeconds(6));
            h.tick();

            assertThat(h.orchestrator.running()).isEmpty();
            assertThat(h.orchestrator.retrying().get("a").error).startsWith("stalled");
        }
        try (Harness h = new Harness(dir.resolve("z"), "codex: {stall_timeout_ms: 0}")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            h.agent.next();
            h.actor.drain();
            h.advance(Duration.ofHours(2));
            h.tick();

            assertThat(h.orchestrator.running()).containsKey("a");
        }
    }

    @Test
    void reconcile_heartbeat_resetsStallDetection() {
        try (Harness h = new Harness(dir, "codex: {stall_timeout_ms: 5000}\npolling: {interval_ms: 1000000}")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            Harness.FakeAgent.Call call = h.agent.next();
            h.actor.drain();
            h.advance(Duration.ofSeconds(4));
            call.turn().activity().heartbeat();
            h.actor.drain();
            h.advance(Duration.ofSeconds(4));
            h.tick();

            assertThat(h.orchestrator.running()).containsKey("a");
        }
    }

    @Test
    void reconcile_trackerError_keepsWorkers() {
        try (Harness h = new Harness(dir, "")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            h.agent.next();
            h.tracker.failNextFetches(2);
            h.tick();

            assertThat(h.orchestrator.running()).containsKey("a");
        }
    }

    @Test
    void renderError_failsAttemptAndRetries() {
        try (Harness h = new Harness(dir, "", "Fix {{ issue.nope }}", RunnerStore.in(dir.resolve("state")))) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            h.actor.runUntil(() -> h.orchestrator.retrying().containsKey("a"));

            assertThat(h.orchestrator.retrying().get("a").error).contains("template_render_error");
        }
    }

    @Test
    void continuationTurn_promptHasNoSecondCopyOfTask() throws Exception {
        try (Harness h =
                new Harness(dir, "agent: {max_turns: 3}", "UNIQUE-TASK {{ issue.title }}", RunnerStore.none())) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            Harness.FakeAgent.Call first = h.agent.next();
            first.outcome().complete(new TurnOutcome.Completed("ok"));
            Harness.FakeAgent.Call second = h.agent.next();

            assertThat(((Turn.Start.Fresh) first.turn().start()).prompt()).contains("UNIQUE-TASK");
            assertThat(((Turn.Start.Fresh) second.turn().start()).prompt())
                    .doesNotContain("UNIQUE-TASK")
                    .contains("continuation turn #2 of 3");
            assertThat(second.turn().number()).isEqualTo(2);
            h.actor.drain();
            String log =
                    Files.readString(dir.resolve("logs").resolve(second.turn().sessionId() + ".log"));
            assertThat(log).doesNotContain("UNIQUE-TASK");
        }
    }

    @Test
    void inputRequired_blocksAndRespondContinuesSameSession() {
        try (Harness h = new Harness(dir, "")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            Harness.FakeAgent.Call call = h.agent.next();
            call.outcome().complete(new TurnOutcome.InputRequired("Which port?"));
            h.actor.runUntil(() -> h.orchestrator.blocked().containsKey("a"));

            assertThat(h.issueView("ISS-a")).containsEntry("status", "blocked");
            assertThat(h.list("blocked").get(0)).containsEntry("question", "Which port?");

            h.orchestrator.respond("ISS-a", "8080");
            h.actor.drain();
            Harness.FakeAgent.Call resumed = h.agent.next();
            assertThat(resumed.turn().sessionId()).isEqualTo(call.turn().sessionId());
            assertThat(resumed.turn().start()).isEqualTo(new Turn.Start.Answer("8080"));
        }
    }

    @Test
    void start_afterCrash_recoversSavedRunningSessions() {
        Path state = dir.resolve("state");
        String sessionId;
        try (Harness h = new Harness(dir, "", "x", RunnerStore.in(state))) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            sessionId = h.agent.next().turn().sessionId();
            h.actor.drain();
        }
        try (Harness h = new Harness(dir, "", "x", RunnerStore.in(state))) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            Harness.FakeAgent.Call call = h.agent.next();

            assertThat(call.turn().start()).isEqualTo(new Turn.Start.Recover());
            assertThat(call.turn().sessionId()).isEqualTo(sessionId);
            @SuppressWarnings("unchecked")
            Map<String, Object> attempts =
                    (Map<String, Object>) h.issueView("ISS-a").get("attempts");
            assertThat(attempts).containsEntry("resumed", true);
        }
    }

    @Test
    void start_afterRestart_keepsBlockedIssueAndRetryQueue() {
        Path state = dir.resolve("state");
        String sessionId;
        try (Harness h = new Harness(dir, "", "x", RunnerStore.in(state))) {
            h.tracker.put(issue("a", "Todo"));
            h.tracker.put(issue("b", "Todo"));
            h.started();
            Harness.FakeAgent.Call first = h.agent.next();
            Harness.FakeAgent.Call second = h.agent.next();
            Harness.FakeAgent.Call asking = first.turn().issue().id().equals("a") ? first : second;
            Harness.FakeAgent.Call failing = asking == first ? second : first;
            sessionId = asking.turn().sessionId();
            asking.outcome().complete(new TurnOutcome.InputRequired("Which port?"));
            failing.outcome().complete(new TurnOutcome.Failed("boom"));
            h.actor.runUntil(() -> h.orchestrator.blocked().containsKey("a")
                    && h.orchestrator.retrying().containsKey("b"));
        }
        try (Harness h = new Harness(dir, "", "x", RunnerStore.in(state))) {
            h.tracker.put(issue("a", "Todo"));
            h.tracker.put(issue("b", "Todo"));
            h.started();

            assertThat(h.list("blocked")).singleElement().satisfies(b -> assertThat(b)
                    .containsEntry("question", "Which port?"));
            assertThat(h.list("retrying")).singleElement().satisfies(r -> assertThat(r)
                    .containsEntry("issue_identifier", "ISS-b")
                    .containsEntry("error", "worker exited: boom"));
            h.orchestrator.respond("ISS-a", "8080");
            h.actor.drain();
            Harness.FakeAgent.Call resumed = h.agent.next();
            assertThat(resumed.turn().sessionId()).isEqualTo(sessionId);
        }
    }

    @Test
    void state_hasSymphonyTopLevelKeys() {
        try (Harness h = new Harness(dir, "")) {
            h.started();
            assertThat(h.state())
                    .containsOnlyKeys(
                            "generated_at", "counts", "running", "retrying", "blocked", "codex_totals", "rate_limits");
        }
    }

    @Test
    void start_removesWorkspacesOfTerminalIssues() throws Exception {
        try (Harness h = new Harness(dir, "")) {
            Path stale = Files.createDirectories(h.workspaces.pathOf("ISS-old"));
            Path live = Files.createDirectories(h.workspaces.pathOf("ISS-new"));
            h.tracker.put(issue("old", "Done"));
            h.tracker.put(issue("new", "Backlog"));
            h.started();

            assertThat(stale).doesNotExist();
            assertThat(live).isDirectory();
        }
    }

    @Test
    void metrics_countDispatchesRetriesAndRunningByState() {
        try (Harness h = new Harness(dir, "")) {
            h.tracker.put(issue("a", "Todo"));
            h.started();
            h.agent.next().outcome().complete(new TurnOutcome.Failed("boom"));
            h.actor.runUntil(() -> h.orchestrator.retrying().containsKey("a"));

            assertThat(h.registry
                            .counter(RunnerMetrics.DISPATCHES, "outcome", "started")
                            .count())
                    .isEqualTo(1);
            assertThat(h.registry
                            .counter(RunnerMetrics.DISPATCHES, "outcome", "failed")
                            .count())
                    .isEqualTo(1);
            assertThat(h.registry
                            .counter(RunnerMetrics.RETRIES, "kind", "failure")
                            .count())
                    .isEqualTo(1);
            assertThat(h.registry
                            .get(RunnerMetrics.RUNNING)
                            .tag("state", "todo")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(h.registry.getMeters())
                    .allSatisfy(m -> assertThat(m.getId().getTags())
                            .noneMatch(t -> t.getValue().contains("ISS-")));
        }
    }

    static Issue done(Issue issue) {
        return issue.toBuilder().state("Done").build();
    }
}

package dev.orchestra4j.runner.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The orchestrator's table as JSON-ready maps: {@code /api/v1/state}, {@code /api/v1/<id>} and the saved document. */
final class OrchestratorViews {

    private OrchestratorViews() {}

    static Map<String, Object> state(IssueOrchestrator o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated_at", o.now().toString());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("running", o.running().size());
        counts.put("retrying", o.retrying().size());
        counts.put("blocked", o.blocked().size());
        out.put("counts", counts);
        out.put("running", o.running().values().stream().map(r -> running(o, r)).toList());
        out.put(
                "retrying",
                o.retrying().values().stream().map(OrchestratorViews::retry).toList());
        out.put(
                "blocked",
                o.blocked().values().stream().map(OrchestratorViews::blocked).toList());
        long[] totals = o.totals();
        Map<String, Object> codex = new LinkedHashMap<>();
        codex.put("input_tokens", totals[0]);
        codex.put("output_tokens", totals[1]);
        codex.put("total_tokens", totals[0] + totals[1]);
        codex.put("seconds_running", Math.round(o.secondsRunning() * 1000) / 1000.0);
        out.put("codex_totals", codex);
        out.put("rate_limits", null);
        o.parts().configError().get().ifPresent(error -> out.put("workflow_error", error));
        return out;
    }

    static Optional<Map<String, Object>> issue(IssueOrchestrator o, String identifier) {
        Optional<IssueRecord> found = o.recordByIdentifier(identifier);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        IssueRecord record = found.get();
        Running r = o.running().get(record.id);
        Retry retry = o.retrying().get(record.id);
        Blocked b = o.blocked().get(record.id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("issue_identifier", record.identifier);
        out.put("issue_id", record.id);
        out.put("status", r != null ? "running" : b != null ? "blocked" : retry != null ? "retrying" : "released");
        Map<String, Object> workspace = new LinkedHashMap<>();
        workspace.put("path", record.workspace);
        out.put("workspace", workspace);
        Map<String, Object> attempts = new LinkedHashMap<>();
        attempts.put("restart_count", record.restartCount);
        attempts.put("current_retry_attempt", r != null ? r.attempt : retry != null ? (Integer) retry.attempt : null);
        attempts.put("resumed", record.resumed);
        out.put("attempts", attempts);
        out.put("running", r == null ? null : running(o, r));
        out.put("retry", retry == null ? null : retry(retry));
        out.put("blocked", b == null ? null : blocked(b));
        Map<String, Object> logs = new LinkedHashMap<>();
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (Map<String, Object> s : record.sessions) {
            Map<String, Object> log = new LinkedHashMap<>(s);
            log.put("url", null);
            sessions.add(log);
        }
        logs.put("codex_session_logs", sessions);
        out.put("logs", logs);
        out.put("recent_events", List.copyOf(record.recentEvents));
        out.put("last_error", record.lastError);
        out.put("tracked", Map.of("url", record.url == null ? "" : record.url));
        out.put("proof", record.proof);
        return Optional.of(out);
    }

    static Map<String, Object> document(IssueOrchestrator o) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map<String, Object>> running = new ArrayList<>();
        for (Running r : o.running().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issue_id", r.issue.id());
            m.put("issue_identifier", r.issue.identifier());
            m.put("attempt", r.attempt);
            m.put("session_prefix", r.sessionPrefix);
            m.put("session_id", r.sessionId);
            m.put("turn", r.turn);
            m.put("started_at", r.startedAt.toString());
            running.add(m);
        }
        doc.put("running", running);
        List<Map<String, Object>> retrying = new ArrayList<>();
        for (Retry r : o.retrying().values()) {
            Map<String, Object> m = retry(r);
            m.put("kind", r.kind);
            retrying.add(m);
        }
        doc.put("retrying", retrying);
        doc.put("blocked", o.blocked().values().stream().map(Blocked::toJson).toList());
        Map<String, Object> issues = new LinkedHashMap<>();
        o.records().forEach((id, record) -> issues.put(id, record.toJson()));
        doc.put("issues", issues);
        return doc;
    }

    private static Map<String, Object> running(IssueOrchestrator o, Running r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issue_id", r.issue.id());
        m.put("issue_identifier", r.issue.identifier());
        m.put("issue_url", r.issue.url());
        m.put("state", r.issue.state());
        m.put("session_id", r.sessionId);
        m.put("turn_count", r.turn);
        m.put("last_event", r.lastEvent);
        m.put("last_message", r.lastMessage);
        m.put("started_at", r.startedAt.toString());
        m.put("last_event_at", text(r.lastEventAt));
        m.put("resumed", r.resumed);
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("input_tokens", r.inputTokens);
        tokens.put("output_tokens", r.outputTokens);
        tokens.put("total_tokens", r.inputTokens + r.outputTokens);
        m.put("tokens", tokens);
        return m;
    }

    private static Map<String, Object> retry(Retry r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issue_id", r.issue.id());
        m.put("issue_identifier", r.issue.identifier());
        m.put("issue_url", r.issue.url());
        m.put("attempt", r.attempt);
        m.put("due_at", r.dueAt.toString());
        m.put("error", r.error);
        return m;
    }

    private static Map<String, Object> blocked(Blocked b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issue_id", b.issue.id());
        m.put("issue_identifier", b.issue.identifier());
        m.put("issue_url", b.issue.url());
        m.put("question", b.question);
        m.put("session_id", b.sessionId);
        m.put("since", b.since.toString());
        return m;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }
}

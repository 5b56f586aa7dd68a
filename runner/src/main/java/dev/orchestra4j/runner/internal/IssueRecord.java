package dev.orchestra4j.runner.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the orchestrator remembers about one issue across attempts; owned by the orchestrator's actor. */
final class IssueRecord {

    private static final int RECENT_EVENTS = 25;

    final String id;
    String identifier;

    @Nullable
    String url;

    @Nullable
    String workspace;

    int runs;
    int restartCount;
    boolean resumed;

    @Nullable
    String lastError;

    final Deque<Map<String, Object>> recentEvents = new ArrayDeque<>();
    final List<Map<String, Object>> proof = new ArrayList<>();
    final List<Map<String, Object>> sessions = new ArrayList<>();

    IssueRecord(String id, String identifier) {
        this.id = id;
        this.identifier = identifier;
    }

    void event(Instant at, String event, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", at.toString());
        e.put("event", event);
        e.put("message", message.length() > 500 ? message.substring(0, 500) + "…" : message);
        recentEvents.addLast(e);
        while (recentEvents.size() > RECENT_EVENTS) {
            recentEvents.removeFirst();
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifier", identifier);
        m.put("url", url);
        m.put("workspace", workspace);
        m.put("runs", runs);
        m.put("restart_count", restartCount);
        m.put("resumed", resumed);
        m.put("last_error", lastError);
        m.put("proof", proof);
        m.put("sessions", sessions);
        return m;
    }

    @SuppressWarnings("unchecked")
    static IssueRecord fromJson(String id, Map<String, Object> m) {
        IssueRecord r = new IssueRecord(id, String.valueOf(m.get("identifier")));
        r.url = (String) m.get("url");
        r.workspace = (String) m.get("workspace");
        r.runs = ((Number) m.getOrDefault("runs", 0)).intValue();
        r.restartCount = ((Number) m.getOrDefault("restart_count", 0)).intValue();
        r.resumed = Boolean.TRUE.equals(m.get("resumed"));
        r.lastError = (String) m.get("last_error");
        r.proof.addAll((List<Map<String, Object>>) m.getOrDefault("proof", List.of()));
        r.sessions.addAll((List<Map<String, Object>>) m.getOrDefault("sessions", List.of()));
        return r;
    }
}

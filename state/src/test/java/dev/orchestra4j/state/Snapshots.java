package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Test snapshots with a small but nested payload. */
final class Snapshots {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Snapshots() {}

    static SessionSnapshot newSession(String sessionId, Instant now) {
        return SessionSnapshot.create(sessionId, "RUNNING", now, "{\"agents\":[\"A\"]}", "sha256:abc", payload(0));
    }

    static ObjectNode payload(int step) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("step", step);
        payload.put("pi", 3.25);
        payload.putArray("branches").addObject().put("id", "b-1").put("agent", "Writer");
        payload.putObject("memory").putArray("Writer").add("hello ✓ \"quoted\"");
        return payload;
    }

    static int step(SessionSnapshot snapshot) {
        JsonNode step = snapshot.payload().get("step");
        return step.intValue();
    }
}

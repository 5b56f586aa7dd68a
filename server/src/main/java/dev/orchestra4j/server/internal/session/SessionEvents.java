package dev.orchestra4j.server.internal.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.server.internal.events.EventHub;
import dev.orchestra4j.server.internal.http.Json;
import java.util.Locale;

/**
 * Forwards an instance's engine events to the session's stream ({@code session:<id>}); questions also go to the
 * server-wide stream, so the console's session list can show them.
 */
final class SessionEvents implements OrchestraListener {

    private final EventHub hub;
    private final String topology;

    SessionEvents(EventHub hub, String topology) {
        this.hub = hub;
        this.topology = topology;
    }

    @Override
    public void onEvent(OrchestraEvent event) {
        ObjectNode data = (ObjectNode) Json.tree(event);
        data.put("timestamp", event.timestamp().toString());
        String type = type(event);
        data.put("type", type);
        data.put("session_id", event.sessionId());
        hub.publish(stream(event.sessionId()), type, Json.write(data));
        if (event instanceof OrchestraEvent.UserQuestionAsked) {
            data.put("topology", topology);
            hub.publish(EventHub.SERVER, type, Json.write(data));
        }
    }

    static String stream(String sessionId) {
        return "session:" + sessionId;
    }

    /** {@code StepStarted} → {@code step_started}. */
    static String type(OrchestraEvent event) {
        String name = event.getClass().getSimpleName();
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}

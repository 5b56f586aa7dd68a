package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.user.UserQuestion;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * What the simulation test ({@code dev.orchestra4j.core.sim}) reads from inside the engine: a session's live state,
 * encoded exactly as a snapshot would store it, its open barriers and its pending questions. Test code only; every
 * read happens while the simulation holds the session idle, so nothing changes underneath it.
 */
public final class SimulationBridge {

    private static final Field SESSIONS;
    private static final java.lang.reflect.Method KNOWN;

    static {
        try {
            SESSIONS = OrchestraInstance.class.getDeclaredField("sessions");
            SESSIONS.setAccessible(true);
            KNOWN = OrchestraInstance.class.getDeclaredMethod("known", String.class);
            KNOWN.setAccessible(true);
        } catch (NoSuchFieldException | NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The session as {@code instance}'s {@code resumeSession}, {@code recoverSession} and {@code respond} find it (in
     * memory, else read from storage): the simulation calls it and takes the leg's future instead of blocking on it.
     */
    public static Session known(OrchestraInstance instance, String sessionId) {
        try {
            return (Session) KNOWN.invoke(instance, sessionId);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private SimulationBridge() {}

    /** The session {@code instance} holds in memory (running or suspended), else null. */
    public static @Nullable Session session(OrchestraInstance instance, String sessionId) {
        try {
            @SuppressWarnings("unchecked")
            ConcurrentMap<String, Session> sessions = (ConcurrentMap<String, Session>) SESSIONS.get(instance);
            return sessions.get(sessionId);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session's state as a snapshot would store it now. */
    public static JsonNode encode(Session session) {
        return session.encodeState(null);
    }

    /** The barriers still open, described. */
    public static List<String> openBarriers(Session session) {
        return session.state().openBarriers();
    }

    /** The pending questions, oldest first. */
    public static List<UserQuestion> questions(Session session) {
        synchronized (session.state().questions) {
            return session.state().questions.values().stream()
                    .map(SessionState.PendingQuestion::question)
                    .toList();
        }
    }

    /** Every branch's status by id. */
    public static Map<String, String> branchStatuses(Session session) {
        Map<String, String> out = new LinkedHashMap<>();
        session.state().branches.forEach((id, b) -> out.put(id, b.status().name()));
        return out;
    }

    /** The trace so far. */
    public static List<TraceStep> trace(Session session) {
        return new ArrayList<>(session.state().trace);
    }
}

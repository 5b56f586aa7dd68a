package dev.orchestra4j.examples;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.SessionSummary;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Pause a session in one orchestra and resume it in another, through files. A four-stage editorial pipeline runs with
 * a {@link StateManager} on a {@link FileStorageBackend}; while {@code Draft} works, the session is asked to pause
 * ({@code pauseSession}), so it stops at the next step boundary with status {@code PAUSED} and its snapshot on disk.
 * A second, fresh {@link OrchestraInstance} on the same directory (another process would do the same) then
 * {@code resumeSession}s it: the completed steps are not run again and the pipeline finishes.
 *
 * <pre>
 * Start -> Outline -> Draft -> Edit -> Publish -> End
 * </pre>
 */
public final class PauseResume {

    public static final String SESSION_ID = "article-42";

    /**
     * What happened.
     *
     * @param paused the first orchestra's result (status PAUSED)
     * @param stored what the storage held while the session was paused
     * @param resumed the second orchestra's result
     * @param stepsRun the agents that ran, in order, over both orchestras
     */
    public record Outcome(
            OrchestraResult paused, List<SessionSummary> stored, OrchestraResult resumed, List<String> stepsRun) {}

    private PauseResume() {}

    public static Topology topology() {
        return Topology.builder()
                .edge("Start -> Outline")
                .edge("Outline -> Draft")
                .edge("Draft -> Edit")
                .edge("Edit -> Publish")
                .edge("Publish -> End")
                .build();
    }

    /** The pipeline's agents; each notes its name in {@code log}; {@code whileDrafting} runs inside Draft's step. */
    public static AgentRegistry agents(List<String> log, Consumer<String> whileDrafting) {
        return AgentRegistry.create()
                .register("Outline", request -> {
                    log.add("Outline");
                    return AgentResponse.handOff("Draft", "outline of " + request.task());
                })
                .register("Draft", request -> {
                    log.add("Draft");
                    whileDrafting.accept(request.sessionId());
                    return AgentResponse.handOff("Edit", "draft from " + request.input());
                })
                .register("Edit", request -> {
                    log.add("Edit");
                    return AgentResponse.handOff("Publish", "edited " + request.input());
                })
                .register("Publish", request -> {
                    log.add("Publish");
                    return AgentResponse.finish("published: " + request.input());
                });
    }

    /** Session storage in {@code directory}: one JSON snapshot per session, saved after every step. */
    public static StateManager storage(Path directory) {
        return StateManager.builder(new FileStorageBackend(directory)).build();
    }

    /** An orchestra for this pipeline whose sessions live in {@code storage}. */
    public static OrchestraInstance orchestra(
            StateManager storage, AgentRegistry agents, ExecutionConfig execution, List<OrchestraListener> listeners) {
        OrchestraInstance.Builder builder = OrchestraInstance.builder()
                .topology(topology())
                .agents(agents)
                .executionConfig(execution)
                .stateManager(storage);
        listeners.forEach(builder::listener);
        return builder.build();
    }

    /**
     * Starts the session in one orchestra, pauses it while Draft runs, then resumes it from {@code directory} in a
     * second orchestra that has never seen it.
     */
    public static Outcome run(
            String topic, Path directory, ExecutionConfig execution, List<OrchestraListener> listeners) {
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<OrchestraInstance> running = new AtomicReference<>();
        OrchestraResult paused;
        List<SessionSummary> stored;
        try (StateManager storage = storage(directory);
                OrchestraInstance first = orchestra(
                        storage,
                        agents(log, sessionId -> running.get().pauseSession(sessionId, "maintenance window")),
                        execution,
                        listeners)) {
            running.set(first);
            paused = first.execute(topic, Map.of("session_id", SESSION_ID), 100);
            stored = storage.listSessions();
        }
        OrchestraResult resumed;
        try (StateManager storage = storage(directory);
                OrchestraInstance second = orchestra(storage, agents(log, sessionId -> {}), execution, listeners)) {
            resumed = second.resumeSession(SESSION_ID, Map.of("resumed_by", "a second orchestra"));
        }
        return new Outcome(paused, stored, resumed, List.copyOf(log));
    }
}

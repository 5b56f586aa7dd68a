package dev.orchestra4j.runner;

/**
 * Runs one turn of an issue attempt in its workspace (Symphony's agent boundary). The runner calls it on a virtual
 * thread per attempt, turn after turn, and interrupts that thread to stop the agent; an implementation must then stop
 * promptly (cancel its session, kill its process). Built-in kinds: {@code topology} (an Orchestra4j session) and
 * {@code codex} (the app-server protocol over stdio).
 */
@FunctionalInterface
public interface AgentRunner {

    /** Runs a turn to its end: completed, failed, or waiting for the operator. */
    TurnOutcome run(Turn turn) throws InterruptedException;
}

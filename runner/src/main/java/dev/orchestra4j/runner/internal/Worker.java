package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.AgentRunner;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Tracker;
import dev.orchestra4j.runner.Turn;
import dev.orchestra4j.runner.TurnOutcome;
import dev.orchestra4j.runner.WorkflowException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One worker run of an issue attempt, on its own virtual thread (Symphony §16.5): prepare the workspace and run
 * {@code before_run}, then turns — the full prompt first, continuation guidance after — refreshing the issue after
 * each, until it leaves the active states, the turn limit is hit, a turn fails or the agent asks the operator; finally
 * {@code after_run}. It reports to the orchestrator through {@link Events}; the orchestrator stops it by interrupting
 * its thread.
 */
final class Worker implements Runnable {

    /** What a worker tells its orchestrator. */
    interface Events {
        void turnStarted(String sessionId, int turn, Path workspace);

        void activity(String event, String message);

        void tokens(long input, long output);

        void heartbeat();

        void exited(Exit exit);
    }

    /** How a worker run ended. */
    sealed interface Exit {
        record Normal(String reason) implements Exit {}

        record Failed(String reason) implements Exit {}

        record Blocked(String question, String sessionId, int turn) implements Exit {}

        record Interrupted() implements Exit {}
    }

    /**
     * Everything one worker run needs.
     *
     * @param issue the issue at dispatch
     * @param attempt null on a first run
     * @param sessionPrefix the stem of this run's session ids
     * @param firstTurn the turn to start with (greater than 1 when recovering or answering)
     * @param start how the first turn begins; a {@code Fresh} start with an empty prompt renders the workflow prompt
     */
    record Assignment(Issue issue, @Nullable Integer attempt, String sessionPrefix, int firstTurn, Turn.Start start) {}

    private final Assignment assignment;
    private final Supplier<RunnerConfig> config;
    private final Supplier<PromptTemplate> prompt;
    private final Tracker tracker;
    private final Workspaces workspaces;
    private final AgentRunner agents;
    private final Events events;

    Worker(
            Assignment assignment,
            Supplier<RunnerConfig> config,
            Supplier<PromptTemplate> prompt,
            Tracker tracker,
            Workspaces workspaces,
            AgentRunner agents,
            Events events) {
        this.assignment = assignment;
        this.config = config;
        this.prompt = prompt;
        this.tracker = tracker;
        this.workspaces = workspaces;
        this.agents = agents;
        this.events = events;
    }

    static String sessionId(String prefix, int turn) {
        return prefix + "-t" + turn;
    }

    @Override
    public void run() {
        Issue issue = assignment.issue();
        MDC.put("issue_id", issue.id());
        MDC.put("issue_identifier", issue.identifier());
        Exit exit;
        try {
            exit = turns(issue);
        } catch (InterruptedException e) {
            exit = new Exit.Interrupted();
        } catch (Workspaces.WorkspaceException | WorkflowException e) {
            exit = new Exit.Failed(e.getMessage());
        } catch (RuntimeException e) {
            exit = Thread.currentThread().isInterrupted()
                    ? new Exit.Interrupted()
                    : new Exit.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            MDC.clear();
        }
        // after_run follows every attempt, also a stopped one (the interrupt is cleared so the hook can run)
        boolean stopped = Thread.interrupted();
        try {
            workspaces.finish(issue.identifier());
        } catch (RuntimeException ignored) {
            // after_run failures are logged by Workspaces and never change the outcome
        }
        if (stopped) {
            Thread.currentThread().interrupt();
        }
        events.exited(exit);
    }

    private Exit turns(Issue dispatched) throws InterruptedException {
        Path workspace = workspaces.prepare(dispatched.identifier());
        events.activity("workspace_ready", workspace.toString());
        Issue issue = dispatched;
        Turn.Start start = assignment.start();
        int maxTurns = config.get().agent().maxTurns();
        for (int turn = assignment.firstTurn(); ; turn++) {
            if (start instanceof Turn.Start.Fresh fresh && fresh.prompt().isEmpty()) {
                start = new Turn.Start.Fresh(prompt.get().render(issue, assignment.attempt()));
            }
            String sessionId = sessionId(assignment.sessionPrefix(), turn);
            MDC.put("session_id", sessionId);
            events.turnStarted(sessionId, turn, workspace);
            events.activity("turn_started", describe(start));
            TurnOutcome outcome = agents.run(
                    new Turn(issue, assignment.attempt(), turn, maxTurns, workspace, sessionId, start, activity()));
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped");
            }
            switch (outcome) {
                case TurnOutcome.Failed failed -> {
                    return new Exit.Failed(failed.reason());
                }
                case TurnOutcome.InputRequired asked -> {
                    return new Exit.Blocked(asked.question(), sessionId, turn);
                }
                case TurnOutcome.Completed completed -> events.activity("turn_completed", completed.summary());
            }
            List<Issue> fresh = tracker.fetchIssuesByIds(List.of(issue.id()));
            if (fresh.isEmpty()) {
                return new Exit.Normal("issue no longer visible");
            }
            issue = fresh.get(0);
            if (!Retries.isRoutable(issue, config.get())) {
                return new Exit.Normal("issue left the active states: " + issue.state());
            }
            if (turn >= maxTurns) {
                return new Exit.Normal("max_turns reached");
            }
            start = new Turn.Start.Fresh(continuation(issue, turn + 1, maxTurns));
        }
    }

    private static String describe(Turn.Start start) {
        return switch (start) {
            case Turn.Start.Fresh fresh -> "prompt:\n" + fresh.prompt();
            case Turn.Start.Recover recover -> "recovering the session from its last saved step";
            case Turn.Start.Answer answer -> "operator answer: " + answer.answer();
        };
    }

    static String continuation(Issue issue, int turn, int maxTurns) {
        return "The previous turn completed normally, but the tracker work item " + issue.identifier()
                + " is still in an active state (" + issue.state() + "). This is continuation turn #" + turn + " of "
                + maxTurns + ". Resume from the current workspace state; do not restate or redo the original"
                + " instructions, continue where the work stopped.";
    }

    private Turn.Activity activity() {
        return new Turn.Activity() {
            @Override
            public void event(String event, String message) {
                events.activity(event, message);
            }

            @Override
            public void tokens(long input, long output) {
                events.tokens(input, output);
            }

            @Override
            public void heartbeat() {
                events.heartbeat();
            }
        };
    }
}

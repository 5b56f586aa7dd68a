package dev.orchestra4j.runner.internal.agent;

import static dev.orchestra4j.runner.internal.agent.WorkspaceTools.JSON;
import static dev.orchestra4j.runner.internal.agent.WorkspaceTools.arg;
import static dev.orchestra4j.runner.internal.agent.WorkspaceTools.spec;

import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Tracker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The tracker's operations as agent tools, bound to one issue: {@code get_issue}, {@code add_comment} and {@code
 * transition_issue}. A transition into a gated state first runs the {@link ProofGate}; its evidence is recorded and
 * (with {@code attach: comment}) posted to the issue whether it passed or not, and a failed gate refuses the move and
 * returns the evidence to the agent.
 */
final class TrackerTools {

    private final Issue issue;
    private final Tracker tracker;
    private final RunnerConfig config;
    private final ProofGate gate;
    private final Path workspace;
    private final BiConsumer<Issue, Map<String, Object>> proofRecorder;
    private final Runnable heartbeat;

    TrackerTools(
            Issue issue,
            Tracker tracker,
            RunnerConfig config,
            ProofGate gate,
            Path workspace,
            BiConsumer<Issue, Map<String, Object>> proofRecorder,
            Runnable heartbeat) {
        this.issue = issue;
        this.tracker = tracker;
        this.config = config;
        this.gate = gate;
        this.workspace = workspace;
        this.proofRecorder = proofRecorder;
        this.heartbeat = heartbeat;
    }

    LlmAgent.Builder addTo(LlmAgent.Builder agent) {
        return agent.tool(spec("get_issue", "Returns the current issue from the tracker."), call -> getIssue())
                .tool(
                        spec("add_comment", "Adds a comment to the issue.", "body"),
                        call -> comment(arg(call.arguments(), "body")))
                .tool(
                        spec(
                                "transition_issue",
                                "Moves the issue to another state; gated states first run the proof of work.",
                                "state"),
                        call -> transition(arg(call.arguments(), "state")));
    }

    String getIssue() throws Exception {
        List<Issue> fresh = tracker.fetchIssuesByIds(List.of(issue.id()));
        return JSON.writeValueAsString(fresh.isEmpty() ? Map.of() : fresh.get(0).toTemplateValue());
    }

    String comment(String body) {
        tracker.addComment(issue.id(), body);
        return "comment added";
    }

    String transition(String state) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        if (config.proofOfWork().gates(state)) {
            Map<String, Object> evidence = gate.check(workspace, state, config.proofOfWork(), heartbeat);
            proofRecorder.accept(issue, evidence);
            if (config.proofOfWork().attachComment()) {
                tracker.addComment(issue.id(), ProofGate.comment(evidence));
            }
            if (!Boolean.TRUE.equals(evidence.get("passed"))) {
                out.put("ok", false);
                out.put("error", "proof_of_work_failed");
                out.put(
                        "message",
                        "the move to '" + state + "' is refused until the proof of work passes; fix the"
                                + " workspace and call transition_issue again");
                out.put("evidence", evidence);
                return JSON.writeValueAsString(out);
            }
        }
        Issue moved = tracker.transitionIssue(issue.id(), state);
        out.put("ok", true);
        out.put("state", moved.state());
        return JSON.writeValueAsString(out);
    }
}

package dev.orchestra4j.examples;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Write, critique, revise, with a bounded loop. The {@code Writer} sends a draft to the {@code Critic}; the Critic
 * checks it against a style guide and sends back either {@code APPROVED} or the list of problems; the Writer revises
 * until approved, then finishes.
 *
 * <pre>
 * Start -> Writer <-> Critic
 * Writer -> End
 * max_turns(Writer, 6)
 * </pre>
 *
 * <p>The loop is bounded twice: {@code max_turns(Writer, 6)} allows at most six messages between Writer and Critic
 * (three review rounds), and the run's {@code maxSteps} caps everything. A critic that is never satisfied therefore
 * ends the run with an error that names the limit instead of looping forever.
 *
 * <p>The Writer is stateful (it counts its revisions), so it is registered with a factory: every branch gets a fresh
 * instance.
 */
public final class CriticRevise {

    /** Drafts an honest writer would produce, each fixing what the critic said about the previous one. */
    public static final List<String> DRAFTS = List.of(
            "The best multi-agent framework ever made, for absolutely everyone!",
            "Orchestra4j: multi-agent coordination, declared as a graph, for absolutely everyone",
            "Orchestra4j: multi-agent topologies for Java");

    private CriticRevise() {}

    public static Topology topology() {
        return PatternConfig.criticRevise("Writer", "Critic").toBuilder()
                .rule("max_turns(Writer, 6)")
                .build();
    }

    /** The Writer submits {@code drafts} in order (the last one again if the critic wants more). */
    public static AgentRegistry agents(List<String> drafts) {
        return AgentRegistry.create()
                .registerFactory("Writer", () -> writer(drafts))
                .register("Critic", CriticRevise::critique);
    }

    public static OrchestraResult run(String task, List<String> drafts, RunOptions.Builder options) {
        return Orchestra.run(task, topology(), options.agents(agents(drafts)).build());
    }

    private static Agent writer(List<String> drafts) {
        int[] revision = {0};
        return request -> {
            if ("APPROVED".equals(request.input())) {
                return AgentResponse.finish(drafts.get(Math.min(revision[0], drafts.size()) - 1));
            }
            String draft = drafts.get(Math.min(revision[0], drafts.size() - 1));
            revision[0]++;
            return AgentResponse.handOff("Critic", draft);
        };
    }

    /** The style guide: name the product, mention Java, at most eight words, no exclamation marks. */
    static AgentResponse critique(dev.orchestra4j.core.AgentRequest request) {
        String draft = request.inputText();
        List<String> problems = new ArrayList<>();
        if (!draft.contains("Orchestra4j")) {
            problems.add("name the product");
        }
        if (!draft.toLowerCase(Locale.ROOT).contains("java")) {
            problems.add("mention Java");
        }
        int words = draft.split("\\s+").length;
        if (words > 8) {
            problems.add("use at most 8 words (has " + words + ")");
        }
        if (draft.contains("!")) {
            problems.add("drop the exclamation mark");
        }
        return AgentResponse.handOff(
                "Writer", problems.isEmpty() ? "APPROVED" : "Please " + String.join("; ", problems));
    }
}

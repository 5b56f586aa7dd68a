package dev.orchestra4j.core.llm;

import java.util.List;

/**
 * The corrective messages that keep a model on its coordination tools, and the diagnostics when it will not be kept.
 *
 * <p>Content-only answers escalate in tiers: below the threshold the model is only asked to continue; the first two
 * steering messages name the tools; the third insists that plain text reaches no one; from the fourth on the message
 * spells out the exact call to make.
 */
final class Steering {

    static final String CONTINUE = "Continue.";

    private Steering() {}

    /** The re-prompt after the {@code count}-th content-only answer in a row (below the hard limit). */
    static String contentOnly(int count, int threshold, Offer offer, boolean nativeTools) {
        if (count < threshold) {
            return CONTINUE;
        }
        int tier = count - threshold + 1;
        String tools = offer.describe();
        if (tier <= 2) {
            return "Your last reply called no tool, so the workflow did not move. To continue, call one of: " + tools
                    + ".";
        }
        String exact = exactCall(offer, nativeTools);
        if (tier == 3) {
            return "You MUST call a tool now. Plain text is not delivered to anyone. Call exactly one of: " + tools
                    + ". For example: " + exact;
        }
        return "Stop writing plain text. Your next reply must be exactly this call, filled in: " + exact;
    }

    /** Under {@code SteeringMode.ALWAYS}: the allowed options, given before the model answers. */
    static String upfront(Offer offer) {
        return "Coordination tools you may call in this step: " + offer.describe()
                + ". End the step with exactly one valid call.";
    }

    /** The corrective message after an invalid coordination call. */
    static String invalidCall(String problem, Offer offer) {
        return "Invalid call: " + problem + ". Allowed coordination tools: " + offer.describe()
                + ". Make one valid call.";
    }

    /** Why the step fails once steering retries are exhausted. */
    static String steeringExhausted(Offer offer, int retries, String problem) {
        return "Agent '" + offer.agent() + "' made no valid coordination call after " + retries + " steering retries: "
                + problem + " (allowed: " + offer.describe() + ")";
    }

    /** Why the step fails at the content-only hard limit. */
    static String contentOnlyLimit(Offer offer, List<String> regularTools, int count, String lastOutput) {
        return "Agent '" + offer.agent() + "' answered with plain text " + count
                + " times in a row without a coordination call. Coordination tools: " + offer.describe()
                + "; regular tools: " + (regularTools.isEmpty() ? "none" : String.join(", ", regularTools))
                + "; last output: \"" + snippet(lastOutput, 200) + "\". Likely cause: the agent's instructions do"
                + " not match its place in the topology.";
    }

    static String snippet(String text, int max) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    private static String exactCall(Offer offer, boolean nativeTools) {
        if (!nativeTools) {
            return "```json\n" + Prompts.jsonExample(offer) + "\n```";
        }
        if (offer.canInvoke()) {
            return "invoke_agent({\"invocations\": [{\"agent_name\": \""
                    + offer.peers().getFirst()
                    + "\", \"request\": \"<your message>\"}]})"
                    + (offer.canFinish() ? " or finish({\"answer\": <your answer>})" : "");
        }
        if (offer.canFinish()) {
            return "finish({\"answer\": <your answer>})";
        }
        return "ask_user({\"question\": \"<your question>\"})";
    }
}

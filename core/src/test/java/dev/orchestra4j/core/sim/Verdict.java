package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a simulated agent does when the simulation lets it return: every response kind of SPEC §4.2, transient and
 * permanent failures (returned and thrown), questions to the user, a hallucinated target, and giving up on an
 * interrupt. Payloads name the invocation, so every value in a trace says which call produced it.
 */
record Verdict(Kind kind, String payload, List<String> targets, String label) {

    enum Kind {
        FINISH,
        REPLY,
        HAND_OFF,
        PARALLEL,
        CALL,
        ASK_USER,
        FAIL_TRANSIENT,
        THROW_TRANSIENT,
        FAIL_PERMANENT,
        THROW_PERMANENT,
        HALLUCINATE,
        INTERRUPTED
    }

    static final Verdict INTERRUPTED = new Verdict(Kind.INTERRUPTED, "", List.of(), "");

    /**
     * A random verdict that the topology permits (so a refusal is never steered and retried with an identical
     * request), or a failure, or one refused target whose unique name keeps the steered retry distinct.
     */
    static Verdict random(Random random, Scenario scenario, AgentRequest r, String payload) {
        List<String> peers = r.peers();
        List<String> labels = scenario.replyLabels(r.agent());
        while (true) {
            int roll = random.nextInt(100);
            if (roll < 8) {
                if (r.canFinish()) {
                    return of(Kind.FINISH, payload);
                }
            } else if (roll < 30) {
                if (!labels.isEmpty()) {
                    String label = labels.get(random.nextInt(labels.size()));
                    String content = label.equals(Scenario.REGISTERED) ? payload + Scenario.REGISTERED_HOLDS : payload;
                    if (scenario.registeredCondition()) {
                        if (label.equals(Scenario.REGISTERED)) {
                            label = ""; // only the predicate's verdict, journaled where the step ran, routes it
                        }
                        // now and then a reply the predicate cannot judge: with an edge [when x] out of the node, the
                        // step fails naming it. Chosen by the call's id, not drawn: the seed's stream of choices (and
                        // so every seed a test replays) stays what it was before registered conditions came in.
                        if (Math.floorMod(payload.hashCode(), 10) == 0) {
                            content = payload + Scenario.CONDITION_FAILS;
                        }
                    }
                    return new Verdict(Kind.REPLY, content, List.of(), label);
                }
            } else if (roll < 50) {
                if (!peers.isEmpty()) {
                    return new Verdict(Kind.HAND_OFF, payload, List.of(peers.get(random.nextInt(peers.size()))), "");
                }
            } else if (roll < 62) {
                List<String> forkable = peers.stream()
                        .filter(p -> !scenario.symmetricPeers(r.agent()).contains(p))
                        .toList();
                if (!forkable.isEmpty()) {
                    List<String> targets = new ArrayList<>();
                    for (int i = 1 + random.nextInt(3); i > 0; i--) {
                        targets.add(forkable.get(random.nextInt(forkable.size())));
                    }
                    return new Verdict(Kind.PARALLEL, payload, targets, "");
                }
            } else if (roll < 66) {
                if (!peers.isEmpty()) {
                    return new Verdict(Kind.CALL, payload, List.of(peers.get(random.nextInt(peers.size()))), "");
                }
            } else if (roll < 74) {
                if (r.canAskUser()) {
                    return of(Kind.ASK_USER, payload);
                }
            } else if (roll < 80) {
                return of(Kind.FAIL_TRANSIENT, payload);
            } else if (roll < 84) {
                return of(Kind.THROW_TRANSIENT, payload);
            } else if (roll < 87) {
                return of(Kind.FAIL_PERMANENT, payload);
            } else if (roll < 89) {
                return of(Kind.THROW_PERMANENT, payload);
            } else if (roll < 91) {
                return of(Kind.HALLUCINATE, payload);
            }
        }
    }

    private static Verdict of(Kind kind, String payload) {
        return new Verdict(kind, payload, List.of(), "");
    }

    /**
     * The agent's response, or its failure. A step that returns normally leaves a note in the agent's memory on its
     * branch, so that a later visit of the same agent on the same branch is a different request (and a step re-run
     * after a crash, from the memory that was written, is the same request).
     */
    AgentResponse apply(AgentRequest request) throws Exception {
        if (kind.ordinal() <= Kind.ASK_USER.ordinal() || kind == Kind.HALLUCINATE) {
            request.memory().add(dev.langchain4j.data.message.UserMessage.from("ran " + payload));
        }
        // every call reports model tokens and one tool call, as a model agent would: counters, the trace's tool calls
        // and the outcome's telemetry then go through commits, crashes and recoveries too
        request.recorder().tokens(payload.length(), 1);
        request.recorder().toolCall("lookup", payload, "found " + payload, java.time.Duration.ofMillis(1), false);
        return switch (kind) {
            case FINISH -> AgentResponse.finish(payload).withMetadata("finish", payload); // later finishes overwrite
            case REPLY ->
                label.isEmpty()
                        ? AgentResponse.reply(payload)
                        : AgentResponse.reply(payload).label(label);
            case HAND_OFF -> AgentResponse.handOff(targets.getFirst(), payload);
            case PARALLEL -> {
                List<Invocation> calls = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    calls.add(Invocation.of(targets.get(i), payload + "#" + i));
                }
                yield AgentResponse.parallel(calls);
            }
            case CALL -> AgentResponse.call(targets.getFirst(), payload);
            case ASK_USER -> AgentResponse.askUser("question " + payload);
            case FAIL_TRANSIENT -> AgentResponse.fail("transient " + payload, ErrorCategory.NETWORK);
            case THROW_TRANSIENT -> throw new java.net.SocketTimeoutException("transient " + payload);
            case FAIL_PERMANENT -> AgentResponse.fail("permanent " + payload);
            case THROW_PERMANENT -> throw new IllegalStateException("permanent " + payload);
            case HALLUCINATE -> AgentResponse.handOff("Nobody_" + payload.replaceAll("[^A-Za-z0-9]", "_"), payload);
            case INTERRUPTED -> throw new InterruptedException("interrupted " + payload);
        };
    }

    @Override
    public String toString() {
        return kind + (targets.isEmpty() ? "" : targets.toString()) + (label.isEmpty() ? "" : "[" + label + "]");
    }
}

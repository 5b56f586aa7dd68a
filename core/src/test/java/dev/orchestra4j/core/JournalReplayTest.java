package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Recovery replays the journal through the machine (issue #11, point 2): each committed entry carries the inputs the
 * machine accepted (the leg's beginning, step starts, outcomes as data, settlings, answers, ...); a recovering process
 * loads the snapshot, hands those inputs to a fresh machine, and checks that it comes to exactly the state the entries
 * committed. These tests change what storage reads back, as a different engine or a corrupted journal would.
 */
final class JournalReplayTest {

    private final DyingStorage storage = new DyingStorage();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /**
     * Start -> Hub; the hub fans out to three workers (one fails once, transiently) and, with their arrivals, hands on
     * to a pipeline of {@code tail} agents and End.
     */
    private Topology topology(int tail, AgentRegistry agents) {
        return topology(3, tail, agents);
    }

    private Topology topology(int width, int tail, AgentRegistry agents) {
        Topology.Builder t = Topology.builder().edge("Start -> Hub").edge("Hub <-> W");
        t.edge("Hub -> T0");
        agents.register("Hub", r -> {
            count("Hub");
            if (r.received() instanceof Input.Joined) {
                return AgentResponse.handOff("T0", "joined");
            }
            List<Invocation> workers = new ArrayList<>();
            for (int i = 1; i <= width; i++) {
                workers.add(Invocation.of("W", "w" + i));
            }
            return AgentResponse.parallel(workers);
        });
        agents.register("W", r -> {
            int n = count("W:" + r.input());
            if (r.input().equals("w2") && n == 1) {
                throw new java.net.SocketTimeoutException("transient");
            }
            return AgentResponse.finish("done " + r.input());
        });
        for (int i = 0; i < tail; i++) {
            String name = "T" + i;
            String next = i == tail - 1 ? "End" : "T" + (i + 1);
            t.edge(name + " -> " + next);
            agents.register(name, r -> {
                count(name);
                return next.equals("End") ? AgentResponse.finish("finished") : AgentResponse.handOff(next, name);
            });
        }
        return t.build();
    }

    private int count(String key) {
        return calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private OrchestraInstance instance(Topology t, AgentRegistry agents) {
        return OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(StateManager.builder(storage)
                        .heartbeatInterval(java.time.Duration.ofMillis(50))
                        .leaseTimeout(java.time.Duration.ofMillis(100)) // a recovery watches the dead owner this long
                        .build())
                .maxSteps(1_000)
                .build();
    }

    /** Runs until the process dies after {@code appends} journal appends. */
    private void crashAfter(int appends, Topology t, AgentRegistry agents, String id) {
        storage.appendsUntilDeath = appends;
        assertThatThrownBy(() -> instance(t, agents).execute("task", Map.of("session_id", id), 1_000))
                .isInstanceOf(StateException.class);
        storage.appendsUntilDeath = Integer.MAX_VALUE;
    }

    @Test
    void committedEntries_carryTheMachinesInputs_andRecoveryReplaysThemToTheCommittedState() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = topology(20, agents);
        crashAfter(12, t, agents, "replay-a");

        List<String> kinds = new ArrayList<>();
        storage.onRead = tree -> {
            tree.path("inputs").forEach(i -> kinds.add(i.path("i").asText()));
            return tree;
        };
        OrchestraResult recovered = instance(t, agents).recoverSession("replay-a", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(kinds).as("the inputs read back on recovery").contains("start", "ended", "settle");
        assertThat(calls.get("Hub").get())
                .as("the hub ran before the crash and once after the join")
                .isEqualTo(2);
        assertThat(calls.get("T19").get()).isEqualTo(1);
    }

    @Test
    void resultMetadataAStepSetBeforeTheCrash_isInTheRecoveredResult() {
        AgentRegistry agents = AgentRegistry.create();
        Topology fan = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> T")
                .edge("T -> End")
                .build();
        agents.register(
                "Hub",
                r -> r.received() instanceof Input.Joined
                        ? AgentResponse.handOff("T", "joined")
                        : AgentResponse.parallel(List.of(Invocation.of("W", "w1"), Invocation.of("W", "w2"))));
        agents.register("W", r -> {
            count("W:" + r.input());
            return AgentResponse.finish("done " + r.input()).withMetadata("reviewed_" + r.input(), true);
        });
        agents.register("T", r -> {
            count("T");
            return AgentResponse.finish("finished");
        });
        crashAfter(3, fan, agents, "replay-metadata"); // the workers' finishes are committed, the run's end is not
        assertThat(calls.get("W:w1").get() + calls.get("W:w2").get()).isEqualTo(2);

        OrchestraResult recovered = instance(fan, agents).recoverSession("replay-metadata", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(recovered.metadata()).containsEntry("reviewed_w1", true).containsEntry("reviewed_w2", true);
        assertThat(calls.get("W:w1").get() + calls.get("W:w2").get())
                .as("no committed step ran again")
                .isEqualTo(2);
    }

    @Test
    void tokensToolCallsAndEdgeConditionsBeforeTheCrash_replayToTheCommittedState() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B [when long]")
                .edge("A -> End [when short]")
                .edge("B -> C")
                .edge("C -> D")
                .edge("D -> End")
                .build();
        for (String name : List.of("A", "B", "C", "D")) {
            agents.register(name, r -> {
                count(name);
                r.recorder().tokens(10, 5);
                r.recorder()
                        .toolCall("search", "{\"q\":\"" + name + "\"}", "found", java.time.Duration.ofMillis(3), false);
                return switch (name) {
                    case "A" -> AgentResponse.reply("a long reply");
                    case "D" -> AgentResponse.finish("done");
                    default -> AgentResponse.handOff(name.equals("B") ? "C" : "D", name);
                };
            });
        }
        java.util.function.Supplier<OrchestraInstance> instance = () -> OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .condition("long", v -> v.toString().length() > 5)
                .condition("short", v -> v.toString().length() <= 5)
                .stateManager(StateManager.builder(storage)
                        .heartbeatInterval(java.time.Duration.ofMillis(50))
                        .leaseTimeout(java.time.Duration.ofMillis(100))
                        .build())
                .build();
        storage.appendsUntilDeath = 2;
        assertThatThrownBy(() -> instance.get().execute("task", Map.of("session_id", "replay-telemetry"), 100))
                .isInstanceOf(StateException.class);
        storage.appendsUntilDeath = Integer.MAX_VALUE;

        OrchestraResult recovered = instance.get().recoverSession("replay-telemetry", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(recovered.metrics().inputTokens()).isEqualTo(40);
        assertThat(recovered.executionTrace())
                .extracting(step -> step.toolCalls().size())
                .containsOnly(1);
        assertThat(calls.get("A").get())
                .as("A's committed step did not run again")
                .isEqualTo(1);
    }

    @Test
    void anAgentsLongTextIsJournaledOncePerEntry_andRecoveryReadsItWhole() {
        AgentRegistry agents = AgentRegistry.create();
        Topology.Builder b = Topology.builder().edge("Start -> P0");
        for (int i = 0; i < 8; i++) {
            String name = "P" + i;
            String next = i == 7 ? "End" : "P" + (i + 1);
            String text = (name + " says: ").repeat(100); // 1 KB, a new text per step
            b.edge(name + " -> " + next);
            agents.register(name, r -> {
                count(name);
                return next.equals("End")
                        ? AgentResponse.finish(Map.of("text", text, "heard", r.input()))
                        : AgentResponse.handOff(next, Map.of("text", text));
            });
        }
        Topology t = b.build();
        crashAfter(5, t, agents, "replay-text");

        List<Integer> copies = new ArrayList<>();
        storage.onRead = tree -> {
            String json = tree.toString();
            for (int i = 0; i < 8; i++) {
                String text = ("P" + i + " says: ").repeat(100);
                int n = json.split(java.util.regex.Pattern.quote(text), -1).length - 1;
                if (n > 0) {
                    copies.add(n);
                }
            }
            return tree;
        };
        OrchestraResult recovered = instance(t, agents).recoverSession("replay-text", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(copies)
                .as("each text in each entry read back (it is in the branch, the trace, the record, the outcome)")
                .isNotEmpty()
                .containsOnly(1);
        assertThat(recovered.finalResponse())
                .isEqualTo(Map.of("text", "P7 says: ".repeat(100), "heard", Map.of("text", "P6 says: ".repeat(100))));
        assertThat(recovered.executionTrace().get(2).output()).isEqualTo(Map.of("text", "P2 says: ".repeat(100)));
    }

    @Test
    void aWideFanOutCrashedHalfwayThrough_recoversThroughTheReplay() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = topology(40, 5, agents);
        crashAfter(4, t, agents, "replay-wide"); // the workers run in parallel: a commit holds several outcomes
        Map<String, Integer> before = new java.util.TreeMap<>();
        calls.forEach((k, v) -> before.put(k, v.get()));
        List<String> kinds = new ArrayList<>();
        storage.onRead = tree -> {
            tree.path("inputs").forEach(i -> kinds.add(i.path("i").asText()));
            return tree;
        };

        OrchestraResult recovered = instance(t, agents).recoverSession("replay-wide", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(kinds.stream().filter("ended"::equals).count())
                .as("the committed workers' outcomes replayed")
                .isGreaterThanOrEqualTo(10);
        assertThat(calls.entrySet())
                .filteredOn(e -> e.getValue().get() > before.getOrDefault(e.getKey(), 0) + 1)
                .as("after the recovery, nothing runs more than once more")
                .isEmpty();
        assertThat(recovered.totalSteps()).isGreaterThanOrEqualTo(1 + 40 + 1 + 1 + 5);
    }

    @Test
    void aJournaledOutcomeThatNoLongerMatchesWhatWasCommitted_failsRecoveryNamingTheEntryAndTheDifference() {
        // the inputs say T3 handed on something else than the changes committed: only a replay can notice
        recoveryWithEachInput("replay-b", input -> {
                    JsonNode response = input.path("outcome").path("response");
                    if (response.path("agent").asText().equals("T4")) {
                        ((ObjectNode) response).put("request", "tampered");
                    }
                })
                .hasMessageContaining("session 'replay-b'")
                .hasMessageContaining("does not replay to the state it committed")
                .hasMessageContaining("tampered");
    }

    @Test
    void aStepStartTheMachineWouldNotMake_failsRecoveryNamingTheInput() {
        recoveryWithEachInput("replay-c", input -> {
                    if (input.path("i").asText().equals("start")) {
                        input.put("branch", "b999");
                    }
                })
                .hasMessageContaining("of session 'replay-c' does not replay")
                .hasMessageContaining("(Start)")
                .hasMessageContaining("next runnable branch here is");
    }

    /** Crashes a 20-step run, then recovers it with {@code change} made to every journaled input read back. */
    private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> recoveryWithEachInput(
            String id, java.util.function.Consumer<ObjectNode> change) {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = topology(20, agents);
        crashAfter(12, t, agents, id);
        storage.onRead = tree -> {
            tree.path("inputs").forEach(input -> change.accept((ObjectNode) input));
            return tree;
        };
        return assertThatThrownBy(() -> instance(t, agents).recoverSession(id, Map.of()))
                .isInstanceOf(UnreadableStateException.class);
    }

    @Test
    void aJournalWrittenBeforeInputsWereJournaled_recoversFromItsChanges() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = topology(20, agents);
        crashAfter(12, t, agents, "replay-d");
        storage.onRead = tree -> {
            tree.remove("inputs"); // the format of the previous version
            return tree;
        };

        OrchestraResult recovered = instance(t, agents).recoverSession("replay-d", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls.get("T19").get()).isEqualTo(1);
    }

    @Test
    void aJournalWithInputsInSomeEntriesOnly_isRefused() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = topology(20, agents);
        crashAfter(12, t, agents, "replay-e");
        AtomicInteger read = new AtomicInteger();
        storage.onRead = tree -> {
            if (tree.has("inputs") && read.incrementAndGet() == 2) {
                tree.remove("inputs");
            }
            return tree;
        };

        assertThatThrownBy(() -> instance(t, agents).recoverSession("replay-e", Map.of()))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 'replay-e'")
                .hasMessageContaining("cannot be replayed");
    }

    @Test
    void aLongRunRecoversThroughAReplayThatStartsAtAMidLegSnapshot() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = topology(100, agents);
        crashAfter(
                90, t, agents, "replay-f"); // past the compaction at 64 steps: its snapshot holds the machine's place
        List<String> kinds = new ArrayList<>();
        storage.onRead = tree -> {
            tree.path("inputs").forEach(i -> kinds.add(i.path("i").asText()));
            return tree;
        };
        JsonNode payload =
                new StateManager(storage).loadSession("replay-f").orElseThrow().payload();

        OrchestraResult recovered = instance(t, agents).recoverSession("replay-f", Map.of());

        assertThat(payload.has("machine"))
                .as("a snapshot written mid-leg says where the machine stood")
                .isTrue();
        assertThat(kinds)
                .as("entries after that snapshot replayed")
                .contains("ended")
                .doesNotContain("begin");
        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls.entrySet())
                .filteredOn(e -> e.getValue().get() > 1)
                .extracting(Map.Entry::getKey)
                .as("only the hub (joined) and the transient worker ran twice, and at most the step in flight")
                .hasSizeLessThanOrEqualTo(3);
    }
}

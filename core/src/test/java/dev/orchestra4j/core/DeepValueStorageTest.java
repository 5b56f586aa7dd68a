package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.replay.Recording;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run value nested deeper than a session can store fails the run as an unwritable value, named, and stored FAILED:
 * not a storage failure that leaves the session RUNNING "to be recovered once storage is back" (values 995–1,200 levels
 * deep did that), and not a StackOverflowError blamed on the agent (values many thousand levels deep did that).
 */
final class DeepValueStorageTest {

    /** The limit {@code SnapshotValues.MAX_DEPTH}: lists, maps and objects inside one another. */
    private static final int LIMIT = 900;

    private final StateManager manager = new StateManager(StorageBackends.inMemory());

    private static Object nested(int levels, Object leaf) {
        Object v = leaf;
        for (int i = 0; i < levels; i++) {
            v = List.of(v);
        }
        return v;
    }

    /** A chain of records {@code links} long: Jackson writes it as that many nested objects. */
    record Link(String name, Link next) {}

    private static Link chain(int links) {
        Link l = null;
        for (int i = 0; i < links; i++) {
            l = new Link("l" + i, l);
        }
        return l;
    }

    private OrchestraResult handOff(String sessionId, Object value) {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.handOff("B", value))
                .register("B", r -> AgentResponse.finish(r.input()));
        return Orchestra.run(
                "go",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .stateManager(manager)
                        .context(Map.of("session_id", sessionId))
                        .build());
    }

    private void assertRefused(String sessionId, OrchestraResult result) {
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("session '" + sessionId + "' cannot be saved: a value produced by an agent")
                .contains("it nests deeper than " + LIMIT + " levels")
                .doesNotContain("StackOverflowError")
                .doesNotContain("storage failed"));
        assertThat(manager.loadSession(sessionId).map(SessionSnapshot::status)).contains("FAILED");
    }

    @Test
    void aValueAtTheLimit_isStoredAndReadBack() {
        Object deep = nested(LIMIT, "leaf");

        OrchestraResult result = handOff("at-limit", deep);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo(deep);
        assertThat(manager.loadSession("at-limit").map(SessionSnapshot::status)).contains("COMPLETED");
        List<Object> outputs = new ArrayList<>();
        Recording.read(manager, "at-limit").steps().forEach(s -> outputs.add(s.output()));
        assertThat(outputs).containsExactly(deep, deep);
    }

    @Test
    void oneLevelDeeper_failsTheRunNamingTheDepth_andIsStoredFailed() {
        assertRefused("over-limit", handOff("over-limit", nested(LIMIT + 1, "leaf")));
    }

    @Test
    void justUnderJacksonsOwnLimit_failsTheSameWay_notAsAStorageFailure() {
        assertRefused("at-999", handOff("at-999", nested(999, "leaf")));
    }

    @Test
    void manyThousandLevels_failTheSameWay_withoutAStackOverflow() {
        assertRefused("very-deep", handOff("very-deep", nested(50_000, "leaf")));
    }

    @Test
    void aRecordChainInsideDeepLists_countsItsOwnLevelsToo() {
        // 500 lists around a typed record written 500 objects deep: each part alone is within the limit
        assertRefused("typed", handOff("typed", nested(500, chain(500))));
    }
}

package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.topology.Topology;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A branch allocates its collections on first write, and keeps its node's plan entry while it stays there. */
final class BranchTest {

    private final Plan plan = new Plan(
            Topology.builder()
                    .edge("Start -> A")
                    .edge("A -> B")
                    .edge("B -> End")
                    .build(),
            AgentRegistry.create()
                    .register("A", r -> AgentResponse.handOff("B", "x"))
                    .register("B", r -> AgentResponse.finish("y")),
            ExecutionConfig.defaults());

    private Branch branch(String id) {
        return new Branch(
                id, null, BarrierKind.FORK, "fork-1", "A", "in", null, Instant.EPOCH, new BranchState.Ready());
    }

    @Test
    void newBranch_unusedCollections_areTheSharedEmptyOnes() {
        Branch b = branch("b1");

        assertThat(b.lineage).isSameAs(List.of());
        assertThat(b.traceIndexes).isSameAs(List.of());
        assertThat(b.memory).isEmpty();
        assertThat(b.turns).isEmpty();
    }

    @Test
    void inherit_forkChild_getsParentTurnsAndLineageBehindTheFork() {
        Branch parent = branch("b1");
        parent.writableTurns().put("A->B", 2);
        parent.writableLineage().add("fork-0");
        Branch child = branch("b2");

        child.inherit(parent, "fork-1");
        child.writableTurns().merge("A->B", 1, Integer::sum);
        child.addTraceIndex(7);

        assertThat(child.lineage).containsExactly("fork-1", "fork-0");
        assertThat(child.turns).containsEntry("A->B", 3);
        assertThat(parent.turns).containsEntry("A->B", 2); // the child's count is its own
        assertThat(child.traceIndexes).containsExactly(7);
    }

    @Test
    void info_followsTheNodeTheBranchIsAt() {
        Branch b = branch("b1");

        Plan.NodeInfo atA = b.info(plan);
        b.node = "B";

        assertThat(atA.name()).isEqualTo("A");
        assertThat(b.info(plan).name()).isEqualTo("B");
        assertThat(b.info(plan)).isSameAs(plan.node("B"));
    }

    @Test
    void addTraceIndex_manySteps_keepsOrderAndReadsAsAListOfIntegers() {
        Branch b = branch("b1");
        for (int i = 0; i < 300; i++) { // past the first array and past the boxed-Integer cache
            b.addTraceIndex(i * 3);
        }

        assertThat(b.traceIndexes).hasSize(300).startsWith(0, 3, 6).endsWith(897);
        assertThat(b.traceIndexes.subList(298, 300)).containsExactly(894, 897);
        assertThat(SnapshotValues.MAPPER
                        .valueToTree(b.traceIndexes.subList(0, 3))
                        .toString())
                .isEqualTo("[0,3,6]"); // what the journal writes
        Branch small = branch("b2");
        small.addTraceIndex(4);
        small.addTraceIndex(9);
        assertThat(SnapshotValues.MAPPER.valueToTree(small.traceIndexes).toString())
                .isEqualTo("[4,9]"); // what a snapshot writes
    }
}

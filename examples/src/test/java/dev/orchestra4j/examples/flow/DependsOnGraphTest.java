package dev.orchestra4j.examples.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.TaskGraphResult;
import dev.orchestra4j.flow.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class DependsOnGraphTest {

    @Test
    void run_qaWaitsForBoth_deployForQa() {
        TaskGraphResult result = DependsOnGraph.run(DependsOnGraph.REQUEST, Set.of());

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        Map<String, Object> qa = result.task("qa").orElseThrow().result().orElseThrow();
        assertThat(((Map<?, ?>) qa.get("output")).get("after")).isEqualTo(List.of("backend", "frontend"));
        assertThat(result.task("qa").orElseThrow().taskId()).isEqualTo("release-42-task-2");
        assertThat(TaskGraph.fromJson(DependsOnGraph.REQUEST)
                        .compile(DependsOnGraph.roles(Set.of()))
                        .topology()
                        .analysis()
                        .rendezvousNodes())
                .containsExactly("qa");
    }

    @Test
    void run_backendFails_dependantsFailWithTheReason() {
        TaskGraphResult result = DependsOnGraph.run(DependsOnGraph.REQUEST, Set.of("backend"));

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.PARTIAL);
        assertThat(result.task("qa").orElseThrow().error()).hasValue("dependency backend failed");
        assertThat(result.task("deploy").orElseThrow().error()).hasValue("dependency qa failed");
        assertThat(result.tasks()).noneMatch(t -> t.state() == TaskStatus.State.RUNNING);
    }
}

package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.examples.EtlPipeline.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class EtlPipelineTest {

    private final List<Row> warehouse = new ArrayList<>();

    @Test
    void run_sampleCsv_cleanersRunAsALocalForkAndEveryJoinedRowIsLoaded() {
        OrchestraResult result = EtlPipeline.run(EtlPipeline.SAMPLE_CSV, warehouse, RunOptions.builder());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("loaded 3 rows into customers");
        assertThat(warehouse)
                .containsExactly(
                        new Row(1, "Ada Lovelace", "ada@example.org", "GB"),
                        new Row(2, "Grace Hopper", "grace@example.com", "US"),
                        new Row(3, "Linus Torvalds", "linus@example.fi", "FI"));
        assertThat(result.executionTrace())
                .filteredOn(step -> step.action() == TraceStep.Action.PARALLEL)
                .singleElement()
                .satisfies(step -> {
                    assertThat(step.agent()).isEqualTo("Transform");
                    assertThat(step.targets()).containsExactly("CleanA", "CleanB");
                });
        assertThat(result.agentInvocationCount("Transform")).isEqualTo(2);
    }

    @Test
    void run_unknownCountry_strictForkFailsTheRunNamingCleanBAndLoadsNothing() {
        String csv = EtlPipeline.SAMPLE_CSV + "4,Alan Turing,alan@example.org,Atlantis\n";

        OrchestraResult result = EtlPipeline.run(csv, warehouse, RunOptions.builder());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error)
                .contains("'CleanB'", "row 4: unknown country 'Atlantis'"));
        assertThat(result.wasAgentInvoked("Load")).isFalse();
        assertThat(warehouse).isEmpty();
    }

    @Test
    void run_rowWithMissingColumn_extractFailsWithTheOffendingLine() {
        OrchestraResult result = EtlPipeline.run("id,name,email,country\n5,Edsger\n", warehouse, RunOptions.builder());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(error -> assertThat(error).contains("'Extract'", "expected 4 columns", "5,Edsger"));
        assertThat(result.wasAgentInvoked("Transform")).isFalse();
    }
}

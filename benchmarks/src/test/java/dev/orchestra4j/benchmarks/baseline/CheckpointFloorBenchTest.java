package dev.orchestra4j.benchmarks.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CheckpointFloorBenchTest {

    private final CheckpointFloorBench bench = new CheckpointFloorBench();

    @Test
    void jacksonJournal_tenSteps_encodesEachStepsKilobyteOutputOnce() throws IOException {
        bench.check();

        List<byte[]> journal = bench.jacksonJournal();

        assertThat(journal).hasSize(CheckpointFloorBench.STEPS);
        JsonNode last = new ObjectMapper().readTree(journal.get(CheckpointFloorBench.STEPS - 1));
        assertThat(last.path("agent").asText()).isEqualTo("s9");
        assertThat(last.path("action").asText()).isEqualTo("FINISH");
        assertThat(last.path("sequence").asLong()).isEqualTo(10);
        assertThat(last.path("output").path("state").asText()).hasSize(1024);
    }

    @Test
    void jacksonJournal_eachOperation_isANewSession() throws IOException {
        bench.check();

        String first = new ObjectMapper()
                .readTree(bench.jacksonJournal().get(0))
                .path("sessionId")
                .asText();
        String second = new ObjectMapper()
                .readTree(bench.jacksonJournal().get(0))
                .path("sessionId")
                .asText();

        assertThat(first).isNotEqualTo(second);
    }
}

package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraResult;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class GalleryTest {

    static java.util.List<String> names() {
        return Gallery.names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void run_everyExampleOffline_completes(String name) {
        PromptedTerminal terminal = new PromptedTerminal(java.util.List.of("done"));
        Gallery.Setup setup = new Gallery.Setup(
                Optional.empty(), ExecutionConfig.defaults(), event -> {}, terminal.in(), terminal.out());

        OrchestraResult result = Gallery.find(name).orElseThrow().run().apply(setup);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponseAsText()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("names")
    void topology_everyExample_rendersAsAMermaidFlowchart(String name) {
        String mermaid = Gallery.find(name).orElseThrow().topology().get().toMermaid();

        assertThat(mermaid).startsWith("flowchart");
    }
}

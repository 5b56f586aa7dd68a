package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import org.junit.jupiter.api.Test;

final class MermaidRendererTest {

    private static final Topology TOPOLOGY = Topology.builder()
            .edges(
                    "Start -> Split",
                    "Split -> A",
                    "Split -> B [when deep]",
                    "A -> Merge",
                    "B -> Merge",
                    "Merge -> End",
                    "Split -> Fixer [on error]",
                    "Fixer -> End",
                    "Merge <~> Critic",
                    "Merge -> User")
            .build();

    @Test
    void render_header_isFlowchart() {
        assertThat(TopologyRendering.lines()).first().isEqualTo("flowchart LR");
    }

    @Test
    void render_rendezvous_hexagonWithClass() {
        assertThat(TopologyRendering.lines())
                .contains("    n4{{\"Merge\"}}", "    class n4 rendezvous")
                .contains("    n2[\"A\"]");
    }

    @Test
    void render_reservedNodes_distinctShapes() {
        assertThat(TopologyRendering.lines())
                .contains("    n0([\"Start\"])", "    n5([\"End\"])", "    n8[/\"User\"/]");
    }

    @Test
    void render_errorEdge_dashedAndLabelled() {
        assertThat(TopologyRendering.lines()).contains("    n1 -. \"on error\" .-> n6");
    }

    @Test
    void render_condition_labelsEdge() {
        assertThat(TopologyRendering.lines()).contains("    n1 -->|\"when deep\"| n3");
    }

    @Test
    void render_alternatingPair_oneTwoWayLineWithTurns() {
        assertThat(TopologyRendering.lines()).contains("    n4 <-->|\"alternating, max 10\"| n7");
    }

    @Test
    void render_quotesInNames_escaped() {
        Topology quoted = Topology.builder()
                .edges("Start -> The \"Boss\"", "The \"Boss\" -> End")
                .build();
        assertThat(MermaidRenderer.render(quoted)).contains("[\"The #quot;Boss#quot;\"]");
    }

    private static final class TopologyRendering {
        static java.util.List<String> lines() {
            return MermaidRenderer.render(TOPOLOGY).lines().toList();
        }
    }
}

package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.TopologyException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

final class EdgeParserTest {

    @Test
    void parse_oneWay_oneDirectedEdge() {
        assertThat(EdgeParser.parse("A -> B")).containsExactly(Edge.of("A", "B"));
    }

    @Test
    void parse_bothWays_twoBidirectionalEdges() {
        List<Edge> edges = EdgeParser.parse("A <-> B");
        assertThat(edges)
                .extracting(Edge::source, Edge::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("A", "B"), org.assertj.core.groups.Tuple.tuple("B", "A"));
        assertThat(edges).allMatch(edge -> edge.pattern().equals("bidirectional"));
    }

    @Test
    void parse_alternating_twoEdgesWithMaxTurnsTen() {
        assertThat(EdgeParser.parse("Writer <~> Critic")).hasSize(2).allSatisfy(edge -> assertThat(edge.metadata())
                .isEqualTo(Map.of("pattern", "alternating", "max_turns", 10)));
    }

    @Test
    void parse_symmetric_twoSymmetricEdges() {
        assertThat(EdgeParser.parse("A <|> B")).hasSize(2).allMatch(edge -> edge.pattern()
                .equals("symmetric"));
    }

    @Test
    void parse_namesWithSpaces_trimmed() {
        assertThat(EdgeParser.parse("  Web Searcher ->   Report  Writer "))
                .containsExactly(Edge.of("Web Searcher", "Report  Writer"));
    }

    @Test
    void parse_hyphenatedNames_keepHyphens() {
        assertThat(EdgeParser.parse("fact-checker->web-search")).containsExactly(Edge.of("fact-checker", "web-search"));
    }

    @Test
    void parse_whenAnnotation_conditionalEdge() {
        assertThat(EdgeParser.parse("A -> B [when valid]")).containsExactly(Edge.when("A", "B", "valid"));
        assertThat(EdgeParser.parse("A -> B [ when  needs review ]"))
                .containsExactly(Edge.when("A", "B", "needs review"));
    }

    @Test
    void parse_onErrorAnnotation_errorEdge() {
        Edge edge = EdgeParser.parse("A -> Fixer [on error]").get(0);
        assertThat(edge.kind()).isEqualTo(EdgeKind.ERROR);
        assertThat(edge.condition()).isEmpty();
    }

    @Test
    void parse_unknownArrow_namesStringAndPosition() {
        assertThatThrownBy(() -> EdgeParser.parse("A => B"))
                .isInstanceOf(TopologyException.class)
                .hasMessage("invalid topology: cannot parse edge 'A => B' at position 4: expected an arrow "
                        + "'->', '<->', '<~>' or '<|>'");
    }

    @Test
    void parse_badInputs_reportPositions() {
        assertProblem("A B", "position 4: expected an arrow");
        assertProblem("A <=> B", "position 3: expected an arrow");
        assertProblem(" -> B", "position 1: expected a source node");
        assertProblem("A ->", "position 5: expected a target node");
        assertProblem("A -> B -> C", "position 9: only one arrow");
        assertProblem("A -> B [maybe]", "position 9: expected '[when <label>]' or '[on error]'");
        assertProblem("A -> B [when x", "position 15: expected ']'");
        assertProblem("A -> B [when x] y", "position 17: nothing may follow");
        assertProblem("A <-> B [when x]", "position 9: annotations are only allowed on '->' edges");
        assertProblem("A, B -> C", "position 2: node names cannot contain ','");
        assertProblem("A] -> C", "position 2: unexpected ']'");
        assertProblem("", "position 1: expected an edge");
        assertProblem("A -> B [when]", "expected '[when <label>]'");
    }

    private static void assertProblem(String text, String fragment) {
        assertThatThrownBy(() -> EdgeParser.parse(text))
                .as(text)
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining(fragment);
    }

    @Property(tries = 2000)
    void parse_randomText_onlyEverThrowsTopologyException(@ForAll("edgeish") String text) {
        try {
            List<Edge> edges = EdgeParser.parse(text);
            assertThat(edges).hasSizeBetween(1, 2);
        } catch (TopologyException e) {
            assertThat(e.problems()).singleElement().asString().contains("position");
        }
    }

    @Provide
    Arbitrary<String> edgeish() {
        Arbitrary<String> pieces = Arbitraries.of(
                "A", "B", " ", "->", "<->", "<~>", "<|>", "<", ">", "-", "~", "|", "[", "]", "when", "on", "error", ",",
                "\t", "\n", "Start", "x y");
        Arbitrary<String> joined = pieces.list().ofMaxSize(8).map(list -> String.join("", list));
        return Arbitraries.oneOf(joined, Arbitraries.strings().ofMaxLength(20));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "A --> B",
                "A ->- B",
                "A - > B",
                "A-->B",
                "A ->> B",
                "A -->> B",
                "A <-- B",
                "A <--> B",
                "A <-< B",
                "A ~> B",
                "A |> B",
                "A -|> B",
                "A <~~> B",
                "A => B",
                "A ->-B",
                "A-> -B",
                "A |-> B",
                "A -> B-",
                "-A -> B",
                "A -> ~B",
                "A <||> B",
                "A <- B",
                "A > B",
                "A < B",
                "A -> -> B",
                "A \u2192 B",
                "A -\u200b> B",
                "A \u2014> B"
            })
    void parse_malformedArrow_rejectedQuotingTheEdge(String text) {
        assertThatThrownBy(() -> EdgeParser.parse(text))
                .as(text)
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("cannot parse edge '" + text + "' at position ");
    }

    @Test
    void parse_dashAttachedToArrow_saysMalformedArrowAtItsPosition() {
        assertProblem("A --> B", "position 3: malformed arrow: '-' next to a node name");
        assertProblem("A ->- B", "position 5: malformed arrow");
        assertProblem("A-->B", "position 2: malformed arrow");
    }

    @Test
    void parse_invisibleCharacterInName_namedWithPosition() {
        assertProblem("Researcher\u200b -> B", "position 11: node names cannot contain U+200B ZERO WIDTH SPACE");
        assertProblem("A -> Re\u00a0Writer", "position 8: node names cannot contain U+00A0 NO-BREAK SPACE");
        assertProblem("A -> B [when ok\u200b]", "U+200B ZERO WIDTH SPACE");
    }

    @Test
    void parse_wellFormedArrowsWithoutSpaces_stillAccepted() {
        assertThat(EdgeParser.parse("A->B")).containsExactly(Edge.of("A", "B"));
        assertThat(EdgeParser.parse("A<->B")).hasSize(2);
        assertThat(EdgeParser.parse("A - B -> C")).containsExactly(Edge.of("A - B", "C"));
    }

    @Test
    void parse_twoWayArrowWithOneNode_saysTwoDifferentNodesAreNeeded() {
        assertProblem(
                "A <~> A",
                "position 3: the two-way arrow '<~>' needs two different nodes, found 'A' on both sides (a node that "
                        + "hands work to itself is written 'A -> A')");
        assertProblem("Writer <-> Writer", "position 8: the two-way arrow '<->' needs two different nodes");
        assertProblem("A<|>A", "position 2: the two-way arrow '<|>' needs two different nodes");
        assertThat(EdgeParser.parse("A -> A")).containsExactly(Edge.of("A", "A"));
    }

    @Test
    void parse_angleBracketInName_namesTheNodeAndTheCharacter() {
        assertThatThrownBy(() -> EdgeParser.parse("Start -> <b>x</b>"))
                .isInstanceOf(TopologyException.class)
                .hasMessage("invalid topology: cannot parse edge 'Start -> <b>x</b>' at position 10: node names cannot "
                        + "contain '<', found in node '<b>x</b>'");
        assertProblem("a>b -> C", "position 2: node names cannot contain '>', found in node 'a>b'");
        assertProblem("A <- B -> C", "position 3: node names cannot contain '<', found in node 'A <- B'");
        assertProblem("A -> B>", "position 7: node names cannot contain '>', found in node 'B>'");
    }

    @Test
    void parse_angleBracketExtendingTheArrow_saysMalformedArrow() {
        assertProblem("A ->> B", "position 5: malformed arrow: '>' next to the arrow '->'");
        assertProblem("A <<-> B", "position 3: malformed arrow: '<' next to the arrow '<->'");
    }

    @Test
    void parse_tabsAndLineBreaksAroundNames_trimmedLikeSpaces() {
        assertThat(EdgeParser.parse("A\t->\tEnd")).containsExactly(Edge.of("A", "End"));
        assertThat(EdgeParser.parse("\tWeb Searcher\t->\r\nEnd\n")).containsExactly(Edge.of("Web Searcher", "End"));
        assertThat(EdgeParser.parse("A\t<->\tB")).hasSize(2).allMatch(edge -> edge.pattern()
                .equals("bidirectional"));
        assertThat(EdgeParser.parse("A\t->\tB\t[when ok]")).containsExactly(Edge.when("A", "B", "ok"));
        assertProblem("A\tB -> C", "position 2: node names cannot contain U+0009");
    }
}

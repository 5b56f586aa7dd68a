package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser, fed random text and random documents, either builds a valid topology (or rule) or throws a
 * {@link TopologyException}: never another exception, never a hang, never minutes of CPU. Each call must finish
 * within {@link #BOUND}.
 */
final class ParsersFuzzTest {
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final List<String> TOKENS = List.of(
            "A",
            "B",
            "Start",
            "End",
            "User",
            " ",
            "  ",
            "-",
            "->",
            "<->",
            "<~>",
            "<|>",
            "<",
            ">",
            "~",
            "|",
            "[",
            "]",
            "when",
            "on",
            "error",
            ",",
            "(",
            ")",
            "\t",
            "\n",
            "x y",
            "\u00a0",
            "\u200b",
            "\u202e",
            "\ufeff",
            "\u2192",
            "\ud83d\ude00",
            "\ud800",
            "1e100000000",
            "-1e999999999",
            "9".repeat(60),
            "0.0000000001",
            "1e-100000000",
            "timeout",
            "max_steps",
            "max_agents",
            "max_turns",
            "convergence_point",
            "parallel",
            "{",
            "}",
            ":",
            "\"",
            "'",
            "&a",
            "*a",
            "!!",
            "---",
            "#",
            "null",
            "true",
            "[]",
            "{}",
            "agents",
            "flows",
            "rules",
            "metadata");

    private static final List<String> KEYS = List.of(
            "agents",
            "nodes",
            "flows",
            "edges",
            "rules",
            "metadata",
            "entry_point",
            "exit_points",
            "name",
            "convergence",
            "source",
            "target",
            "kind",
            "condition",
            "type",
            "seconds",
            "steps",
            "agent",
            "turns",
            "node",
            "pattern",
            "max_turns",
            "timeout",
            "bogus");

    private static final List<Object> SCALARS = List.of(
            "A",
            "B",
            "Start",
            "End",
            "User",
            "A -> B",
            "Start -> A",
            "A -> End",
            "A --> End",
            "B -> User",
            "User -> A",
            "A <~> B",
            "A <|> B",
            "A -> B [when ok]",
            "A -> B [on error]",
            "max_steps(3)",
            "timeout(1.5)",
            "timeout(1e100000000)",
            "parallel(A, B)",
            "force",
            "error",
            "directed",
            "symmetric",
            "Researcher\u200b",
            "A\u00a0B",
            0,
            -1,
            3,
            2.5,
            1e300,
            Long.MAX_VALUE,
            true,
            "");

    @Property(tries = 1500)
    void edgeNotation_randomText_buildsOrThrowsTopologyException(@ForAll("texts") String text) {
        bounded(() -> Topology.builder().edge(text).edge("Start -> A").build());
    }

    @Property(tries = 1500)
    void ruleNotation_randomText_parsesOrThrowsTopologyException(@ForAll("texts") String text) {
        bounded(() -> Rule.parse(text));
        bounded(() -> Topology.builder()
                .edge("Start -> A")
                .edge("A -> End")
                .rule(text)
                .build());
    }

    @Property(tries = 1000)
    void topologyOf_randomLists_buildsOrThrowsTopologyException(
            @ForAll("textLists") List<String> agents, @ForAll("textLists") List<String> flows) {
        bounded(() -> Topology.of(agents, flows));
    }

    @Property(tries = 1000)
    void fromMap_randomDocument_buildsOrThrowsTopologyException(@ForAll("documents") Map<String, Object> document) {
        bounded(() -> Topology.fromMap(document));
    }

    @Property(tries = 600)
    void fromJsonAndYaml_randomDocument_buildsOrThrowsTopologyException(
            @ForAll("documents") Map<String, Object> document, @ForAll("texts") String noise, @ForAll Random random)
            throws Exception {
        String json = mutate(JSON.writeValueAsString(document), noise, random);
        String yaml = mutate(YAML.writeValueAsString(document), noise, random);
        bounded(() -> Topology.fromJson(json));
        bounded(() -> Topology.fromYaml(yaml));
    }

    @Property(tries = 1000)
    void fromJsonAndYaml_randomText_buildsOrThrowsTopologyException(@ForAll("texts") String text) {
        bounded(() -> Topology.fromJson(text));
        bounded(() -> Topology.fromYaml(text));
    }

    private static void bounded(Supplier<?> parse) {
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                Object built = parse.get();
                if (built instanceof Topology topology) {
                    assertThat(Topology.fromJson(topology.toJson())).isEqualTo(topology);
                }
            } catch (TopologyException e) {
                assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem)
                        .isNotBlank());
            }
        });
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> joined = Arbitraries.of(TOKENS).list().ofMaxSize(12).map(list -> String.join("", list));
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(30);
        return Arbitraries.oneOf(joined, joined, unicode);
    }

    @Provide
    Arbitrary<List<String>> textLists() {
        return texts().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Map<String, Object>> documents() {
        return Arbitraries.randoms().map(ParsersFuzzTest::document);
    }

    private static String mutate(String text, String noise, Random random) {
        if (text.isEmpty() || random.nextInt(3) == 0) {
            return text;
        }
        int at = random.nextInt(text.length());
        int cut = Math.min(text.length(), at + random.nextInt(4));
        return text.substring(0, at) + noise + text.substring(cut);
    }

    private static Map<String, Object> document(Random random) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i >= 0; i--) {
            map.put(KEYS.get(random.nextInt(8)), value(random, 3));
        }
        return map;
    }

    private static Object value(Random random, int depth) {
        int choice = depth == 0 ? 0 : random.nextInt(4);
        if (choice == 1) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                list.add(value(random, depth - 1));
            }
            return list;
        }
        if (choice == 2) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                map.put(KEYS.get(random.nextInt(KEYS.size())), value(random, depth - 1));
            }
            return map;
        }
        return SCALARS.get(random.nextInt(SCALARS.size()));
    }
}

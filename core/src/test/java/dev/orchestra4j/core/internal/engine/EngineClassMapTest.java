package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue #11's shape rules for the engine package: no class over 300 lines, and every class named in the class map
 * (docs/engine/README.md), so the map stays a true guide to who owns what.
 */
final class EngineClassMapTest {

    private static final Path SOURCES =
            Path.of("src", "main", "java", "dev", "orchestra4j", "core", "internal", "engine");
    private static final Path MAP = Path.of("..", "docs", "engine", "README.md");
    private static final int MAX_LINES = 300;

    private static List<Path> classes() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyEngineClassIsAtMost300Lines() throws IOException {
        Map<String, Integer> tooLong = new TreeMap<>();
        for (Path file : classes()) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.put(file.getFileName().toString(), lines);
            }
        }
        assertThat(tooLong)
                .as("engine classes over %d lines: split them by what they own", MAX_LINES)
                .isEmpty();
    }

    @Test
    void everyEngineClassIsInTheClassMap() throws IOException {
        String map = Files.readString(MAP);
        List<String> missing = classes().stream()
                .map(f -> f.getFileName().toString().replace(".java", ""))
                .filter(name -> !map.contains("`" + name + "`"))
                .toList();
        assertThat(missing)
                .as("classes missing from docs/engine/README.md's class map")
                .isEmpty();
    }
}

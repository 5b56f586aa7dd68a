package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM must list every artifact a user can depend on, so that a new module cannot be forgotten. */
final class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern OWN_ARTIFACT = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>");
    private static final Pattern MANAGED = Pattern.compile(
            "<groupId>dev\\.orchestra4j</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project\\.version}");

    @Test
    void bom_managesEveryPublishedModuleOfTheReactor() throws IOException {
        List<String> published = new ArrayList<>();
        collect(ROOT, published);
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));

        assertThat(published).isNotEmpty().contains("orchestra4j-core");
        assertThat(all(MANAGED, bom)).containsAll(published);
        assertThat(bom).doesNotContain("<parent>");
    }

    /** The artifacts of every jar module below {@code dir}; aggregator (pom-packaged) modules are walked into. */
    private static void collect(Path dir, List<String> published) throws IOException {
        for (String module : all(MODULE, Files.readString(dir.resolve("pom.xml")))) {
            if (module.equals("bom") || module.equals("benchmarks")) {
                continue; // the BOM itself; benchmarks are not published for users
            }
            Path child = dir.resolve(module);
            String pom = Files.readString(child.resolve("pom.xml"));
            if (pom.contains("<packaging>pom</packaging>")) {
                collect(child, published); // a parent of modules, or the npm client's build: not a jar of its own
            } else {
                published.addAll(all(OWN_ARTIFACT, pom));
            }
        }
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }
}

package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two commands start with {@code ./mvnw}, and the runnable jars start with {@code bin/java21}: both must
 * find a JDK >= 21 by themselves on a machine whose default {@code java} (and {@code JAVA_HOME}) is older, and fail
 * with one clear line when there is none.
 */
final class MvnwScriptTest {

    private static final Path SCRIPT = Path.of("..", "mvnw").toAbsolutePath().normalize();
    private static final Path JAVA21 =
            Path.of("..", "bin", "java21").toAbsolutePath().normalize();

    @Test
    void mvnw_javaHomeTooOld_findsNewerJdkUnderTheRoots(@TempDir Path roots, @TempDir Path oldJdk) throws Exception {
        Path currentJdk = Path.of(System.getProperty("java.home"));
        Files.createSymbolicLink(roots.resolve("some-jdk"), currentJdk);
        fakeJdk(oldJdk, "17");

        Result r = run(List.of("-v"), oldJdk, roots.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Java version: " + System.getProperty("java.version"));
    }

    @Test
    void mvnw_noJdk21Anywhere_failsWithOneClearLine(@TempDir Path roots, @TempDir Path oldJdk) throws Exception {
        fakeJdk(oldJdk, "17");
        fakeJdk(Files.createDirectory(roots.resolve("jdk-11")), "11");

        Result r = run(List.of("-v"), oldJdk, roots.toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.output().strip().lines()).singleElement().asString().startsWith("mvnw: no JDK >= 21 found");
    }

    @Test
    void java21_javaHomeTooOld_runsTheNewerJdksJava(@TempDir Path roots, @TempDir Path oldJdk) throws Exception {
        Files.createSymbolicLink(roots.resolve("some-jdk"), Path.of(System.getProperty("java.home")));
        fakeJdk(oldJdk, "17");

        Result r = run(JAVA21, List.of("-version"), oldJdk, roots.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains(System.getProperty("java.version"));
    }

    /** A directory that looks like a JDK of the given feature version to the script's probe. */
    private static void fakeJdk(Path dir, String version) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n",
                StandardCharsets.UTF_8);
        Path javac = bin.resolve("javac");
        Files.writeString(javac, "#!/bin/sh\nexit 0\n", StandardCharsets.UTF_8);
        assertThat(java.toFile().setExecutable(true)).isTrue();
        assertThat(javac.toFile().setExecutable(true)).isTrue();
    }

    private static Result run(List<String> args, Path javaHome, String roots) throws Exception {
        return run(SCRIPT, args, javaHome, roots);
    }

    private static Result run(Path script, List<String> args, Path javaHome, String roots) throws Exception {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add(script.toString());
        pb.command().addAll(args);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("ORCHESTRA4J_JDK_ROOTS", roots);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String output) {}
}

package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue #11, point 1: the deciding classes ({@link Machine} and what it owns) never reach the shell — no thread, no
 * clock, no storage, no mailbox, no step slot — nor run user code (the error classifier, edge predicates) or draw at
 * random. Checked on the compiled classes (their constant pools name every class
 * and method they use, lambdas and nested classes included), so a comment or a string cannot fool it, and a new
 * reference fails here naming the class and what it reached.
 */
final class MachineBoundaryTest {

    /** The machine: what decides. Its data types (SessionState, Branch, Barrier, ...) hold no references outward. */
    private static final List<Class<?>> MACHINE = List.of(
            Machine.class,
            Stepping.class,
            Router.class,
            Failures.class,
            Users.class,
            FollowUps.class,
            Convergence.class,
            Gates.class,
            Settlement.class,
            RunQueue.class,
            Admission.class,
            Expiries.class,
            Lifecycle.class,
            Timers.class);

    /** The shell's classes, and the JDK's ways of reaching a thread, a clock or an executor. */
    private static final List<String> FORBIDDEN = List.of(
            internal(Coordinator.class),
            internal(Steps.class),
            internal(StepRunner.class),
            internal(StepSlot.class),
            internal(InlineStep.class),
            internal(Dispatcher.class),
            internal(Persistence.class),
            internal(Mailbox.class),
            internal(Alarm.class),
            internal(Ending.class),
            internal(DeadlineScanner.class),
            internal(Heartbeat.class),
            internal(WriteFaults.class),
            internal(Legs.class),
            internal(Session.class),
            internal(CallerDrive.class),
            "dev/orchestra4j/state/StateManager",
            "dev/orchestra4j/state/StorageBackend",
            "java/lang/Thread",
            "java/util/concurrent/Executor",
            "java/time/Clock",
            "currentTimeMillis",
            "nanoTime",
            // user code and chance: classifiers and edge predicates run where the step ran; jitter is a derived draw
            "dev/orchestra4j/core/ErrorClassifier",
            "classify",
            "conditions",
            "java/util/Random",
            "java/util/concurrent/ThreadLocalRandom",
            "random");

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    @Test
    void theMachineNeverReachesTheShell() throws IOException, URISyntaxException {
        Map<String, List<String>> reached = new TreeMap<>();
        int checked = 0;
        for (Class<?> type : MACHINE) {
            for (Path file : classFiles(type)) {
                checked++;
                String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                List<String> found = new ArrayList<>();
                for (String name : FORBIDDEN) {
                    if (references(pool, name)) {
                        found.add(name);
                    }
                }
                if (!found.isEmpty()) {
                    reached.put(file.getFileName().toString(), found);
                }
            }
        }
        assertThat(checked).as("class files checked").isGreaterThanOrEqualTo(MACHINE.size());
        assertThat(reached)
                .as("machine classes that reach the shell (threads, clocks, storage, the loop's classes)")
                .isEmpty();
    }

    @Test
    void theCheckSeesAReferenceWhereThereIsOne() throws IOException, URISyntaxException {
        // the shell does reach these: were the check blind (a wrong path, a wrong encoding), this would fail
        String coordinator =
                new String(Files.readAllBytes(classFiles(Coordinator.class).get(0)), StandardCharsets.ISO_8859_1);
        assertThat(references(coordinator, internal(Steps.class))).isTrue();
        assertThat(references(coordinator, "java/lang/Thread")).isTrue();
        String stepRunner =
                new String(Files.readAllBytes(classFiles(StepRunner.class).get(0)), StandardCharsets.ISO_8859_1);
        assertThat(references(stepRunner, internal(StepSlot.class))).isTrue();
    }

    /** Whether the constant pool names {@code name} as a whole class name or member name (not as a prefix). */
    private static boolean references(String pool, String name) {
        int at = pool.indexOf(name);
        while (at >= 0) {
            int after = at + name.length();
            char next = after < pool.length() ? pool.charAt(after) : ';';
            if (!Character.isJavaIdentifierPart(next) || next == '$') {
                return true;
            }
            at = pool.indexOf(name, at + 1);
        }
        return false;
    }

    /** The class file of {@code type} and of its nested and anonymous classes. */
    private static List<Path> classFiles(Class<?> type) throws IOException, URISyntaxException {
        Path own = Path.of(type.getResource(type.getSimpleName() + ".class").toURI());
        String prefix = type.getSimpleName() + "$";
        List<Path> files = new ArrayList<>();
        files.add(own);
        try (Stream<Path> siblings = Files.list(own.getParent())) {
            siblings.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }
}

package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.FileStorageBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer is committed before the step it lets run. It used to reach storage only with that step's commit: a
 * process killed during the answered step left the question pending in storage, so recoverSession asked the user again
 * and the agent, which had already acted on the answer once, ran it a second time after the second answer (found with
 * kill -9 on the file and PostgreSQL backends). The crash here is a copy of the store's files taken while the answered
 * step runs, as a dead process leaves them.
 */
final class AnswerDurabilityTest {

    private static final Duration LEASE = Duration.ofHours(1);

    @TempDir
    Path live;

    @TempDir
    Path afterCrash;

    private final MutableClock clock = MutableClock.atEpoch();
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final CountDownLatch answering = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Q asks; the first step that takes an answer blocks (the process dies there), later ones finish. */
    private final AgentRegistry agents = AgentRegistry.create().register("Q", r -> {
        if (r.received() instanceof Input.Answer answer) {
            answers.add(answer.text());
            if (answers.size() == 1) {
                answering.countDown();
                release.await();
            }
            return AgentResponse.finish("done: " + answer.text());
        }
        return AgentResponse.askUser("ok?");
    });

    private OrchestraInstance process(Path dir) {
        return LeasedProcess.over(new FileStorageBackend(dir), TestTopologies.asking("Q"), agents, clock, LEASE);
    }

    @Test
    void processDiesInTheAnsweredStep_recoveryRunsThatStepWithTheAnswer_withoutAskingAgain() throws Exception {
        try (OrchestraInstance dying = process(live)) {
            assertThat(dying.execute("task", Map.of("session_id", "answered-1"), 10)
                            .status())
                    .isEqualTo(RunStatus.WAITING_FOR_USER);
            CompletableFuture<OrchestraResult> answered =
                    CompletableFuture.supplyAsync(() -> dying.respond("answered-1", "yes"));
            assertThat(answering.await(20, TimeUnit.SECONDS)).isTrue();
            copy(live, afterCrash); // what the process leaves when it dies in the answered step

            clock.advance(LEASE.plusSeconds(1)); // its lease lapses on the session clock
            try (OrchestraInstance recoverer = process(afterCrash)) {
                OrchestraResult recovered = recoverer.recoverSession("answered-1", Map.of());

                assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
                assertThat(recovered.finalResponse()).isEqualTo("done: yes");
                assertThat(recovered.pendingQuestions()).isEmpty();
            }
            release.countDown();
            answered.get(20, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        assertThat(answers)
                .as("the in-flight step ran again with the answer; nobody was asked twice")
                .containsExactly("yes", "yes");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

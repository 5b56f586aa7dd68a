package dev.orchestra4j.runner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ShellTest {

    @TempDir
    Path dir;

    @Test
    void run_longCommand_heartbeatsWhileItRuns() {
        AtomicInteger beats = new AtomicInteger();
        Shell.Result result = new Shell(List.of(), Duration.ofMillis(100))
                .run("sleep 1", dir, Duration.ofSeconds(10), beats::incrementAndGet);

        assertThat(result.succeeded()).isTrue();
        assertThat(beats.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void run_hidesSecretVariablesAndRunsInTheDirectory() {
        Shell.Result result = new Shell(List.of("HOME")).run("echo \"[$HOME]\"; pwd", dir, Duration.ofSeconds(10));

        assertThat(result.output()).startsWith("[]").contains(dir.toString());
    }
}

package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.SessionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session deleted while a caller awaits it will never stop: the caller is told at once, naming the session, instead
 * of waiting out its whole timeout (the watch used to swallow the failed read and look again forever).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class AwaitDeletedSessionTest extends ScenarioBase {

    @Test
    void await_sessionDeletedMeanwhile_failsAtOnceNamingIt() throws Exception {
        String id = client.submit("pipeline", "go", Map.of("session_id", "deleted-1")); // no worker: it stays CREATED
        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        CompletableFuture<Object> awaited = CompletableFuture.supplyAsync(() -> {
            waiter.complete(Thread.currentThread());
            return client.await(id, Duration.ofMinutes(10));
        });
        Thread thread = waiter.get();
        while (thread.getState() != Thread.State.TIMED_WAITING && !awaited.isDone()) {
            Thread.onSpinWait(); // until the caller is parked on its watch
        }

        // purged by an operator: its state and its run row
        TestCluster.execute(db, "DELETE FROM " + prefix + "runs WHERE task_instance = '" + id + "'");
        TestCluster.execute(db, "DELETE FROM " + prefix + "state WHERE key LIKE 'sessions/" + id + "%'");

        assertThat(awaited)
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(SessionException.class)
                .withMessageContaining("'" + id + "'")
                .withMessageContaining("deleted");
    }
}

package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.Step;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A graceful shutdown lets the request in flight finish before the server stops. */
final class ShutdownTest {

    @Test
    void close_requestInFlight_finishesWith200() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        Pipeline slow = Pipeline.builder("slow")
                .pipe(Step.untyped("wait", (in, perf) -> {
                    inside.countDown();
                    Thread.sleep(1_000);
                    return Map.of("done", true);
                }))
                .seal();
        OrchestraServer server = TestServers.start(b -> b.pipelines(slow));
        Http http = new Http(server.url());
        CompletableFuture<Http.Response> perform = CompletableFuture.supplyAsync(
                () -> http.post("/pipelines/slow/perform", Map.of("input_data", Map.of())),
                r -> Thread.ofVirtual().start(r));
        assertThat(inside.await(20, TimeUnit.SECONDS)).isTrue();

        server.close();

        Http.Response response = perform.get(20, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("result").path("done").asBoolean()).isTrue();
    }
}

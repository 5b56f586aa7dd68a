package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API key, CORS, request size and rate limits, and error bodies, over real HTTP. */
final class SecurityTest {

    private static final String KEY = "s3cret-key";
    private static OrchestraServer server;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        server = TestServers.start(b -> b.apiKey(KEY).maxRequestBytes(2048).rateLimit(0));
        anonymous = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void apiKey_missingOrWrong_401_rightKeyOrBearer_200_healthAndRootOpen() {
        var none = anonymous.get("/workflows");
        var wrong = new Http(server.url()).header("X-API-Key", "nope").get("/workflows");
        var right = new Http(server.url()).header("X-API-Key", KEY).get("/workflows");
        var bearer =
                new Http(server.url()).header("Authorization", "Bearer " + KEY).get("/workflows");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("detail").asText()).isEqualTo("Invalid or missing API key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(right.status()).isEqualTo(200);
        assertThat(bearer.status()).isEqualTo(200);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/").status()).isEqualTo(200);
    }

    @Test
    void apiKey_guardsEveryDataRoute() {
        for (String path :
                List.of("/status/x", "/api/sessions", "/api/topologies", "/metrics", "/openapi.json", "/api/events")) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(401);
        }
        assertThat(anonymous.post("/run-graph", "{}").status()).isEqualTo(401);
        assertThat(anonymous.delete("/workflows/x").status()).isEqualTo(401);
    }

    @Test
    void cors_listedOriginEchoedWithCredentials_otherOriginNot_preflightAnswered() {
        var listed =
                new Http(server.url()).header("Origin", "http://localhost:3000").get("/health");
        var other =
                new Http(server.url()).header("Origin", "http://evil.example").get("/health");
        var preflight = anonymous.send(anonymous
                .request("/run-graph")
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(listed.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(listed.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("X-API-Key");
    }

    @Test
    void cors_wildcard_neverWithCredentials() {
        try (OrchestraServer open = TestServers.start(b -> b.corsOrigins(List.of("*")))) {
            var r = new Http(open.url())
                    .header("Origin", "http://anywhere.example")
                    .get("/health");

            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
        }
    }

    @Test
    void requestTooLarge_413() {
        String big = "{\"workflow_type\":\"parallel\",\"tasks\":[],\"metadata\":{\"x\":\"" + "a".repeat(4000) + "\"}}";

        var r = new Http(server.url()).header("X-API-Key", KEY).post("/run-graph", big);

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("detail").asText()).contains("2048");
    }

    @Test
    void rateLimit_burstExceeded_429WithRetryAfter() {
        try (OrchestraServer limited = TestServers.start(b -> b.rateLimit(2))) {
            Http http = new Http(limited.url());
            int tooMany = 0;
            String retryAfter = null;
            for (int i = 0; i < 20; i++) {
                var r = http.get("/health");
                if (r.status() == 429) {
                    tooMany++;
                    retryAfter = r.header("Retry-After");
                }
            }

            assertThat(tooMany).isGreaterThan(0);
            assertThat(retryAfter).isEqualTo("1");
        }
    }

    @Test
    void errors_neverCarryStackTraces() {
        Http http = new Http(server.url()).header("X-API-Key", KEY);

        var malformed = http.post("/run-graph", "{not json");
        var notFound = http.get("/nowhere");

        assertThat(malformed.status()).isEqualTo(422);
        assertThat(notFound.status()).isEqualTo(404);
        for (var r : List.of(malformed, notFound)) {
            assertThat(r.body())
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain(".java:");
        }
    }

    @Test
    void apiKey_neverAppearsInResponses() {
        Http http = new Http(server.url()).header("X-API-Key", KEY);
        String id = http.post("/api/sessions", Map.of("topology", "interview", "task", "t"))
                .json()
                .path("session_id")
                .asText();

        assertThat(http.get("/api/sessions/" + id).body()).doesNotContain(KEY);
        assertThat(http.get("/metrics").body()).doesNotContain(KEY);
    }
}

package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.orchestra4j.core.AgentResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return cli(Gallery.ALL, args);
    }

    private int cli(List<Gallery.Example> examples, String... args) {
        return cli(examples, Map.of(), args);
    }

    private int cli(List<Gallery.Example> examples, Map<String, String> env, String... args) {
        Cli.Console console = new Cli.Console(
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(examples, env, console).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_researchAndReport_printsModelStatusAnswerDiagramAndMetrics() {
        int code = cli("run", "research-and-report");

        assertThat(code).as(err()).isZero();
        assertThat(out())
                .contains("model: offline ScriptedChatModel")
                .contains("[b1 Researcher] step 1 → parallel")
                .contains("== Final answer\n# Virtual threads and server design")
                .contains("== Run diagram (Mermaid)\nsequenceDiagram")
                .contains("== Metrics\nOrchestra4j metrics", "Papers", "completed in");
    }

    @Test
    void run_noArguments_runsTheDefaultExample() {
        int code = cli();

        assertThat(code).as(err()).isZero();
        assertThat(out()).startsWith("== research-and-report:");
    }

    @Test
    void run_quietVerbosity_printsNoStepLines() {
        int code = cli("run", "etl-pipeline", "--verbosity", "quiet");

        assertThat(code).as(err()).isZero();
        assertThat(out())
                .contains("model: none (plain Java agents)", "loaded 3 rows")
                .doesNotContain("step 1 →");
    }

    @Test
    void run_unknownExample_namesItListsTheExamplesAndExitsNonZero() {
        int code = cli("run", "research-and-repot");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown example 'research-and-repot'", "research-and-report", "coding-run");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_badVerbosity_isAUsageError() {
        assertThat(cli("run", "--verbosity", "loud")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("--verbosity takes quiet, normal or verbose", "usage:");
    }

    @Test
    void unknownCommand_isAUsageError() {
        assertThat(cli("start")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown command 'start'");
    }

    @Test
    void run_exampleWhoseRunFails_printsTheResultAndExitsWithOne() {
        Gallery.Example failing = new Gallery.Example(
                "always-fails",
                "a pipeline whose only agent fails",
                false,
                ErrorRecovery::topologyWithoutErrorRoute,
                setup -> ErrorRecovery.run(
                        "ACME",
                        ErrorRecovery.topologyWithoutErrorRoute(),
                        request -> AgentResponse.fail("price service said no"),
                        setup.options()));

        int code = cli(List.of(failing), "run", "always-fails");

        assertThat(code).isEqualTo(Cli.RUN_FAILED);
        assertThat(out())
                .contains("== Final answer\n(none: the run ended FAILED)", "== Run diagram (Mermaid)", "Fetcher");
        assertThat(err()).contains("always-fails ended FAILED", "price service said no");
    }

    @Test
    void run_exampleThatThrows_reportsItAndExitsWithOne() {
        Gallery.Example broken =
                new Gallery.Example("broken", "misconfigured", false, ErrorRecovery::topology, setup -> {
                    throw new IllegalStateException("no agent for 'Cache'");
                });

        assertThat(cli(List.of(broken), "run", "broken")).isEqualTo(Cli.RUN_FAILED);
        assertThat(err()).contains("broken could not run", "no agent for 'Cache'");
    }

    @Test
    void run_openAiKeySet_usesTheConfiguredOpenAiEndpointAndSaysSo() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.baseUrl());

            int code = cli(Gallery.ALL, env, "run", "research-and-report");

            assertThat(code).as(err()).isZero();
            assertThat(out())
                    .contains("model: OpenAI gpt-4o-mini at " + server.baseUrl())
                    .contains("== Final answer\n# Virtual threads and server design");
            assertThat(server.requests()).isNotEmpty();
        }
    }

    @Test
    void run_openAiKeyRejectedByTheServer_namesTheModelInUseAndFailsWithTheProvidersMessage() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            byte[] body =
                    "{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}"
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", baseUrl);

            int code = cli(Gallery.ALL, env, "run", "research-and-report", "--verbosity", "quiet");

            assertThat(code).isEqualTo(Cli.RUN_FAILED);
            assertThat(out()).contains("model: OpenAI gpt-4o-mini at " + baseUrl + " (OPENAI_API_KEY)");
            assertThat(out() + err()).doesNotContain("sk-test");
            assertThat(err()).contains("'Researcher'", "Incorrect API key provided");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void list_showsEveryExampleAndMarksTheLlmDrivenOnes() {
        assertThat(cli("list")).isZero();
        assertThat(out().lines()).hasSize(Gallery.ALL.size());
        assertThat(out()).contains("research-and-report", "etl-pipeline", "coding-run", "[LLM]");
    }
}

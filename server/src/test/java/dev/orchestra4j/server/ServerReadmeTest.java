package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every curl command of {@code server/README.md} against a server started the way the README says (through the
 * jar's entry point), and checks what a reader would check in the answers. Also checks {@code --help}.
 */
final class ServerReadmeTest {

    private static final Pattern LISTENING = Pattern.compile("Orchestra4j server listening on (http://\\S+)");

    static List<String> curlCommands(String readme) {
        List<String> commands = new ArrayList<>();
        Matcher blocks = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (blocks.find()) {
            String block = blocks.group(1).replace("\\\n", " ");
            StringBuilder current = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("curl ") && !current.isEmpty()) {
                    commands.add(current.toString());
                    current.setLength(0);
                }
                if (line.startsWith("curl ") || !current.isEmpty()) {
                    current.append(line).append('\n');
                }
            }
            if (!current.isEmpty()) {
                commands.add(current.toString());
            }
        }
        return commands;
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command)
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void readme_everyCurlExample_worksAgainstTheServer() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> commands = curlCommands(readme);
        assertThat(commands).hasSizeGreaterThanOrEqualTo(12);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ServerMain.run(
                        new String[] {"--port", "0", "--store", "memory"},
                        Map.of("API_KEY", "demo-key"),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err))
                .isZero();
        Matcher m = LISTENING.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as("the start-up line").isTrue();
        String url = m.group(1);
        List<String> outputs = new ArrayList<>();
        for (String command : commands) {
            String answer = sh("URL=" + url + "\n" + command);
            outputs.add(answer);
            if (command.contains("/run-graph")) {
                Eventually.await(
                        "readme-1 to complete",
                        () -> new Http(java.net.URI.create(url))
                                .header("X-API-Key", "demo-key")
                                .get("/status/readme-1")
                                .json()
                                .path("status")
                                .asText(),
                        "completed"::equals);
            }
            if (command.contains("/answers")) {
                Eventually.await(
                        "readme-s1 to complete",
                        () -> new Http(java.net.URI.create(url))
                                .header("X-API-Key", "demo-key")
                                .get("/api/sessions/readme-s1")
                                .json()
                                .path("status")
                                .asText(),
                        "COMPLETED"::equals);
            }
            if (command.contains("/api/sessions -H")) {
                Eventually.await(
                        "readme-s1 to ask",
                        () -> new Http(java.net.URI.create(url))
                                .header("X-API-Key", "demo-key")
                                .get("/api/sessions/readme-s1")
                                .json()
                                .path("status")
                                .asText(),
                        "WAITING_FOR_USER"::equals);
            }
        }
        String all = String.join("\n", outputs);
        assertThat(outputs.getFirst()).contains("\"status\":\"healthy\"");
        assertThat(all).contains("\"workflow_id\":\"readme-1\"");
        assertThat(all).contains("\"result\":{\"result\":42}");
        assertThat(all).contains("event: task");
        assertThat(all).contains("What should the report be about?");
        assertThat(all).contains("Noted: otters");
        assertThat(all).doesNotContain("Invalid or missing API key");
    }

    @Test
    void help_listsEveryFlagAndEnvironmentVariable() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = ServerMain.run(
                new String[] {"--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        for (String word : List.of(
                "--host",
                "ORCHESTRATOR_HOST",
                "--port",
                "ORCHESTRATOR_PORT",
                "API_KEY",
                "CORS_ORIGINS",
                "--store",
                "--data-dir",
                "--postgres-url",
                "--redis-url",
                "--redis-prefix",
                "ORCHESTRA4J_REDIS_PREFIX",
                "--rate-limit",
                "--max-request-bytes",
                "--node-id")) {
            assertThat(help).contains(word);
        }
    }

    @Test
    void unknownFlag_exitsWithUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = ServerMain.run(
                new String[] {"--prot", "1"}, Map.of(), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--prot'");
    }
}

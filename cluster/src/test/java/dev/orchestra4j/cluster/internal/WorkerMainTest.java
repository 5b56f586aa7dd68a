package dev.orchestra4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.cluster.OrchestraCluster;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The worker launcher: its topology directory, its demo agents and its client commands against a real worker. */
final class WorkerMainTest {

    private static final String REVIEW = """
            agents: [Writer, Reviewer]
            flows: ["Start -> Writer", "Writer -> Reviewer", "Reviewer -> User", "Reviewer -> End"]
            """;

    @TempDir
    Path dir;

    @Test
    void topologies_readsEveryYamlAndJsonFileAsAnInstanceNamedAfterIt() throws Exception {
        Files.writeString(dir.resolve("review.yaml"), REVIEW);
        Files.writeString(dir.resolve("solo.json"), "{\"agents\":[\"A\"],\"flows\":[\"Start -> A\",\"A -> End\"]}");
        Files.writeString(dir.resolve("notes.txt"), "ignored");

        assertThat(WorkerMain.topologies(dir)).containsOnlyKeys("review", "solo");
    }

    @Test
    void topologies_emptyOrMissingDirectory_failsNamingIt() {
        assertThatThrownBy(() -> WorkerMain.topologies(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no .yaml");
        assertThatThrownBy(() -> WorkerMain.topologies(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void demoAgents_walkTheTopologyAndAskWhereTheNodeMayAskTheUser() {
        Topology t = Topology.fromYaml(REVIEW);
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(WorkerMain.demoAgents(t, 0))
                .stateManager(new dev.orchestra4j.state.StateManager(dev.orchestra4j.state.StorageBackends.inMemory()))
                .communicationConfig(CommunicationConfig.durable())
                .build();

        OrchestraResult waiting = instance.execute("draft", Map.of("session_id", "demo-1"), 10);
        OrchestraResult done = instance.respond("demo-1", "ok");

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions().getFirst().question()).startsWith("approve Reviewer's work");
        assertThat(done.status()).as(done.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.finalResponse()).isEqualTo("ok>Reviewer");
    }

    @Test
    void run_missingFlagOrUnknownCommand_failsWithAClearMessage() throws Exception {
        Files.writeString(dir.resolve("review.yaml"), REVIEW);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WorkerMain.run(new String[] {"worker"}, Map.of(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--jdbc-url (or ORCHESTRA4J_PG_URL) is required");
        assertThatThrownBy(() -> WorkerMain.run(new String[] {"worker", "--heartbeat-ms"}, Map.of(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("flag --heartbeat-ms needs a value");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void clientCommands_submitStatusRespond_againstAWorkerOnPostgres() throws Exception {
        String url = System.getenv()
                .getOrDefault("ORCHESTRA4J_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            org.junit.jupiter.api.Assumptions.assumeFalse(
                    !"true".equals(System.getenv("CI")), "*** PostgreSQL unreachable: skipped ***");
            throw e;
        }
        String prefix = "o4jw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        Files.writeString(dir.resolve("review.yaml"), REVIEW);
        Map<String, String> flags =
                Map.of("tables", prefix, "state-table", prefix + "state", "step-ms", "10", "heartbeat-ms", "500");
        String[] common = {
            "--jdbc-url",
            url,
            "--topologies",
            dir.toString(),
            "--tables",
            prefix,
            "--state-table",
            prefix + "state",
            "--step-ms",
            "10"
        };
        try (OrchestraCluster worker = WorkerMain.cluster(ds, dir, flags).start()) {
            String id = command(concat(new String[] {"submit", "review", "draft"}, common))
                    .strip();
            worker.await(id, java.time.Duration.ofSeconds(60));
            String status = command(concat(new String[] {"status", id}, common));
            String answered = command(concat(new String[] {"respond", id, "ok"}, common));

            assertThat(status)
                    .startsWith(id + " WAITING_FOR_USER")
                    .contains("question ")
                    .contains("approve Reviewer");
            assertThat(answered).startsWith(id + " COMPLETED").contains("result: ok>Reviewer");
        } finally {
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                for (String t : List.of("runs", "inbox", "state", "state_journal", "state_journal_head")) {
                    s.execute("DROP TABLE IF EXISTS " + prefix + t);
                }
            }
        }
    }

    private static String command(String[] args) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = WorkerMain.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(code).as(String.join(" ", args)).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

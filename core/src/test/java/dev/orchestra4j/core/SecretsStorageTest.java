package dev.orchestra4j.core;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.RedisStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A secret given with {@code RunOptions.Builder#secret} never reaches storage, on any backend, even when agents echo it
 * into the task, nested context, memories, tool arguments and results, errors and the final answer: every byte each
 * backend stored is searched for it; personal data is removed by a {@code StateManager} redactor the same way.
 */
final class SecretsStorageTest {

    private static final String PG_URL =
            env("ORCHESTRA4J_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String REDIS_URL = env("ORCHESTRA4J_REDIS_URL", "redis://127.0.0.1:6379");

    @TempDir
    Path dir;

    /** A tool that echoes what it is asked, so the marker travels through tool arguments and results. */
    static final class Vault {
        @Tool("Looks a key up")
        public String lookup(String query) {
            return "vault entry for " + query;
        }
    }

    /** One storage backend and a way to read every byte it holds. */
    enum Backend {
        MEMORY,
        FILE,
        POSTGRES,
        REDIS
    }

    /** A backend under test plus the raw dump of everything it stored. */
    private interface Store extends AutoCloseable {
        StorageBackend backend();

        byte[] everything() throws Exception;

        @Override
        void close() throws SQLException;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void secret_echoedThroughEveryPath_neverReachesStorage(Backend kind) throws Exception {
        String marker = "sk-MARKER-" + UUID.randomUUID().toString().replace("-", "");
        String email = "jane." + UUID.randomUUID().toString().substring(0, 8) + "@example.com"; // personal data
        try (Store store = open(kind)) {
            StateManager storage = StateManager.builder(store.backend())
                    .redactor(
                            (path, value) -> value.isTextual() && value.asText().contains(email)
                                    ? com.fasterxml.jackson.databind.node.TextNode.valueOf(
                                            value.asText().replace(email, "[email]"))
                                    : value)
                    .build();
            OrchestraResult result = runEchoing(marker, email, storage);

            assertThat(result.success()).as(result.error().orElse("")).isTrue();
            assertThat(result.finalResponseAsText()).contains(marker); // the caller still gets it in memory
            byte[] stored = store.everything();
            assertThat(stored.length).as("the backend stored the session").isGreaterThan(200);
            assertThat(new String(stored, StandardCharsets.UTF_8))
                    .contains("vault entry for [secret:openai_key]") // the tool's result went through storage
                    .contains("provider rejected key [secret:openai_key]") // so did the error text
                    .contains("[email]") // the redactor replaced the personal data
                    .doesNotContain(marker)
                    .doesNotContain(email);
        }
    }

    @Test
    void secret_isVisibleToAgentsAndShadowsAContextEntry() {
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> AgentResponse.finish(
                                r.context().get("api_key") + "/" + r.context().get("plain")));
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();

        OrchestraResult result = Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .context(Map.of("api_key", "from-context", "plain", "p"))
                        .secret("api_key", "from-secret")
                        .build());

        assertThat(result.finalResponse()).isEqualTo("from-secret/p");
    }

    @Test
    void contextKeysThatMerelyLookSecret_surviveAResumeInAnotherInstance() {
        StateManager storage = new StateManager(StorageBackends.inMemory());
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> User")
                .edge("A -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> r.received() instanceof Input.Answer
                                ? AgentResponse.finish(r.context().get("max_tokens") + " "
                                        + r.context().get("token_budget"))
                                : AgentResponse.askUser("go on?"));
        OrchestraInstance first = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(storage)
                .build();
        assertThat(first.execute("x", Map.of("session_id", "tokens-1", "max_tokens", 256, "token_budget", 9), 10)
                        .status())
                .isEqualTo(RunStatus.WAITING_FOR_USER);

        OrchestraInstance second = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(storage)
                .build();

        assertThat(second.respond("tokens-1", "yes").finalResponse()).isEqualTo("256 9");
    }

    /**
     * A session run with a secret and continued in another process: that process's instance gives the secret (it is
     * never stored, so only the continuing process can); before, an OrchestraInstance had no way to, and the agent
     * saw null.
     */
    @Test
    void secretOfTheInstance_reachesASessionRunElsewhere_andNeverStorage() throws Exception {
        Store store = memory();
        StateManager storage = new StateManager(store.backend());
        String key = "sk-" + java.util.UUID.randomUUID();
        Topology t = TestTopologies.asking();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> r.received() instanceof Input.Answer
                                ? AgentResponse.finish(
                                        "key " + (key.equals(r.context().get("api_key")) ? "ok" : "lost"))
                                : AgentResponse.askUser("use the key?"));
        OrchestraResult first = Orchestra.run(
                "x",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .stateManager(storage)
                        .context(Map.of("session_id", "secret-elsewhere"))
                        .secret("api_key", key)
                        .build());
        assertThat(first.status()).isEqualTo(RunStatus.WAITING_FOR_USER);

        try (OrchestraInstance elsewhere = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(new StateManager(store.backend()))
                .secret("api_key", key)
                .build()) {
            assertThat(elsewhere.respond("secret-elsewhere", "yes").finalResponse())
                    .isEqualTo("key ok");
        }
        assertThat(new String(store.everything(), StandardCharsets.ISO_8859_1)).doesNotContain(key);
    }

    private OrchestraResult runEchoing(String marker, String email, StateManager storage) {
        AtomicInteger attempts = new AtomicInteger();
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent(
                        "Writer",
                        toolCall("lookup", "{\"query\":\"" + marker + "\"}"),
                        finish("report for " + email + " signed with " + marker))
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("Fetcher", r -> {
                    String key = (String) r.context().get("openai_key");
                    if (attempts.incrementAndGet() == 1) {
                        return AgentResponse.fail("provider rejected key " + key, ErrorCategory.RATE_LIMIT);
                    }
                    return AgentResponse.handOff("Writer", "use " + key);
                })
                .register(
                        "Writer",
                        LlmAgent.builder()
                                .name("Writer")
                                .model(model)
                                .tools(new Vault())
                                .build());
        Topology t = Topology.builder()
                .edge("Start -> Fetcher")
                .edge("Fetcher -> Writer")
                .edge("Writer -> End")
                .build();
        return Orchestra.run(
                "summarise for " + email + " with key " + marker,
                t,
                RunOptions.builder()
                        .agents(agents)
                        .context(Map.of(
                                "session_id",
                                "secret-" + UUID.randomUUID(),
                                "provider",
                                Map.of("headers", Map.of("authorization", "Bearer " + marker), "user", email)))
                        .secret("openai_key", marker)
                        .errorConfig(ErrorHandlingConfig.builder()
                                .baseDelay(Duration.ZERO)
                                .build())
                        .stateManager(storage)
                        .build());
    }

    private Store open(Backend kind) throws Exception {
        return switch (kind) {
            case MEMORY -> memory();
            case FILE -> file();
            case POSTGRES -> postgres();
            case REDIS -> redis();
        };
    }

    private static Store memory() {
        StorageBackend backend = StorageBackends.inMemory();
        return new Store() {
            @Override
            public StorageBackend backend() {
                return backend;
            }

            @Override
            public byte[] everything() {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (String key : backend.list("")) {
                    out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
                    backend.read(key).ifPresent(v -> out.writeBytes(v.value()));
                }
                return out.toByteArray();
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }

    private Store file() {
        StorageBackend backend = new FileStorageBackend(dir);
        return new Store() {
            @Override
            public StorageBackend backend() {
                return backend;
            }

            @Override
            public byte[] everything() throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(Files::isRegularFile).forEach(f -> {
                        try {
                            out.writeBytes(f.toString().getBytes(StandardCharsets.UTF_8));
                            out.writeBytes(Files.readAllBytes(f));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
                return out.toByteArray();
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }

    private static Store postgres() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PG_URL);
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            unavailable("PostgreSQL", PG_URL, e);
        }
        String table =
                "o4j_secrets_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StorageBackend backend = new JdbcStorageBackend(ds, table);
        return new Store() {
            @Override
            public StorageBackend backend() {
                return backend;
            }

            /** Every row of every table this backend created (the state table and any table named after it). */
            @Override
            public byte[] everything() throws SQLException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (Connection c = ds.getConnection();
                        Statement s = c.createStatement()) {
                    for (String name : tables(s)) {
                        try (ResultSet rows = s.executeQuery("SELECT * FROM " + name)) {
                            ResultSetMetaData meta = rows.getMetaData();
                            while (rows.next()) {
                                for (int i = 1; i <= meta.getColumnCount(); i++) {
                                    int type = meta.getColumnType(i);
                                    byte[] bytes = type == Types.BINARY
                                                    || type == Types.VARBINARY
                                                    || type == Types.LONGVARBINARY
                                            ? rows.getBytes(i)
                                            : String.valueOf(rows.getString(i)).getBytes(StandardCharsets.UTF_8);
                                    if (bytes != null) {
                                        out.writeBytes(bytes);
                                    }
                                }
                            }
                        }
                    }
                }
                return out.toByteArray();
            }

            private List<String> tables(Statement s) throws SQLException {
                List<String> names = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_name LIKE '" + table + "%'")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                assertThat(names).as("tables of " + table).isNotEmpty();
                return names;
            }

            @Override
            public void close() throws SQLException {
                backend.close();
                try (Connection c = ds.getConnection();
                        Statement s = c.createStatement()) {
                    for (String name : tables(s)) {
                        s.execute("DROP TABLE IF EXISTS " + name);
                    }
                }
            }
        };
    }

    private static Store redis() {
        RedisClient client = RedisClient.create(RedisURI.create(REDIS_URL));
        StatefulRedisConnection<byte[], byte[]> connection;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            client.shutdown();
            unavailable("Redis", REDIS_URL, e);
            throw e;
        }
        String prefix = "o4j-secrets-" + UUID.randomUUID().toString().substring(0, 12) + ":";
        StorageBackend backend = new RedisStorageBackend(RedisURI.create(REDIS_URL), prefix);
        RedisCommands<byte[], byte[]> redis = connection.sync();
        return new Store() {
            @Override
            public StorageBackend backend() {
                return backend;
            }

            /** Every key under the prefix, with every field or element of whatever type it has. */
            @Override
            public byte[] everything() {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (byte[] key : keys()) {
                    out.writeBytes(key);
                    String type = redis.type(key).toLowerCase(Locale.ROOT);
                    switch (type) {
                        case "string" -> out.writeBytes(redis.get(key));
                        case "hash" ->
                            redis.hgetall(key).forEach((f, v) -> {
                                out.writeBytes(f);
                                out.writeBytes(v);
                            });
                        case "list" -> redis.lrange(key, 0, -1).forEach(out::writeBytes);
                        case "zset" -> redis.zrange(key, 0, -1).forEach(out::writeBytes);
                        case "set" -> redis.smembers(key).forEach(out::writeBytes);
                        case "stream" ->
                            redis.xrange(key, io.lettuce.core.Range.create("-", "+"))
                                    .forEach(m -> m.getBody().forEach((f, v) -> {
                                        out.writeBytes(f);
                                        out.writeBytes(v);
                                    }));
                        default -> throw new AssertionError("unexpected Redis type " + type);
                    }
                }
                return out.toByteArray();
            }

            private List<byte[]> keys() {
                List<byte[]> keys = new ArrayList<>();
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<byte[]> page = redis.scan(
                            cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                    keys.addAll(page.getKeys());
                    cursor = page;
                } while (!cursor.isFinished());
                return keys;
            }

            @Override
            public void close() {
                backend.close();
                List<byte[]> keys = keys();
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(byte[][]::new));
                }
                connection.close();
                client.shutdown();
            }
        };
    }

    private static void unavailable(String service, String url, Exception cause) {
        String problem = "*** " + service + " at " + url + " is unreachable (" + cause + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(problem + "; failing because CI=true ***", cause);
        }
        System.err.println(problem + "; this backend's secret test is SKIPPED ***");
        Assumptions.abort(problem);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package dev.orchestra4j.server.internal;

import dev.orchestra4j.server.OrchestraServer;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.RedisStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The runnable jar's flags and environment variables. A flag wins over its variable; the variable over the default.
 * The API key is read from {@code API_KEY} or a file ({@code --api-key-file}), never from a flag, so it does not show
 * in process listings.
 */
public final class Cli {

    /** One option: its flag, its environment variable, its default and what it does. */
    record Option(
            String flag, @Nullable String env, @Nullable String fallback, String help) {}

    static final List<Option> OPTIONS = List.of(
            new Option("--host", "ORCHESTRATOR_HOST", "127.0.0.1", "address to bind (loopback by default)"),
            new Option("--port", "ORCHESTRATOR_PORT", "8000", "port to listen on; 0 picks a free one"),
            new Option("--api-key-file", null, null, "file holding the API key (else env API_KEY; none: open)"),
            new Option(
                    "--cors-origins",
                    "CORS_ORIGINS",
                    "http://localhost:3000",
                    "comma-separated origins allowed by CORS; * = any origin, without credentials"),
            new Option("--store", "ORCHESTRA4J_STORE", "file", "storage: file, memory, postgres or redis"),
            new Option("--data-dir", "ORCHESTRA4J_DATA_DIR", "data", "directory of the file store"),
            new Option(
                    "--postgres-url",
                    "ORCHESTRA4J_PG_URL",
                    "jdbc:postgresql://127.0.0.1:5432/orchestra4j?user=postgres",
                    "JDBC URL of the postgres store"),
            new Option("--postgres-table", "ORCHESTRA4J_PG_TABLE", "orchestra4j_state", "table of the postgres store"),
            new Option("--redis-url", "ORCHESTRA4J_REDIS_URL", "redis://127.0.0.1:6379", "URL of the redis store"),
            new Option(
                    "--redis-prefix",
                    "ORCHESTRA4J_REDIS_PREFIX",
                    RedisStorageBackend.DEFAULT_KEY_PREFIX,
                    "prefix of every key of the redis store"),
            new Option("--max-request-bytes", "ORCHESTRA4J_MAX_REQUEST_BYTES", "1048576", "largest request body"),
            new Option(
                    "--rate-limit",
                    "ORCHESTRA4J_RATE_LIMIT",
                    "200",
                    "requests per second per client address (bursts of twice as many); 0 = off"),
            new Option(
                    "--node-id",
                    "ORCHESTRA4J_NODE_ID",
                    "local",
                    "this server's name in shared storage (give each of several servers its own)"),
            new Option("--no-demo", null, null, "do not register the demo topologies"),
            new Option("--help", null, null, "print this help and exit"));

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> env;
    private boolean help;
    private boolean demo = true;

    private Cli(Map<String, String> env) {
        this.env = env;
    }

    /** Parses {@code args}; an unknown flag or a missing value is an {@link IllegalArgumentException}. */
    public static Cli parse(String[] args, Map<String, String> env) {
        Cli cli = new Cli(env);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> cli.help = true;
                case "--no-demo" -> cli.demo = false;
                default -> {
                    String flag = arg;
                    if (OPTIONS.stream().noneMatch(o -> o.flag().equals(flag))) {
                        throw new IllegalArgumentException(
                                "unknown option '" + flag + "'; run with --help to list the options");
                    }
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option '" + flag + "' needs a value");
                        }
                        value = args[++i];
                    }
                    cli.values.put(flag, value);
                }
            }
        }
        return cli;
    }

    public boolean help() {
        return help;
    }

    public static String usage() {
        StringBuilder out = new StringBuilder("Usage: java -jar orchestra4j-server.jar [options]\n\n")
                .append("Serves Orchestra4j over HTTP: sessions (/api), run-graph workflows (/run-graph),\n")
                .append("pipelines (/pipelines), events (SSE), /metrics, /openapi.json and the console (/console).\n\n")
                .append("Options (flag, environment variable, default):\n");
        for (Option o : OPTIONS) {
            out.append(String.format(
                    Locale.ROOT, "  %-20s %-30s %s%n", o.flag(), o.env() == null ? "" : o.env(), o.help()));
            if (o.fallback() != null) {
                out.append(String.format(Locale.ROOT, "  %-20s %-30s (default: %s)%n", "", "", o.fallback()));
            }
        }
        out.append("  ").append(String.format(Locale.ROOT, "%-20s %-30s %s%n", "", "API_KEY", "the API key"));
        return out.toString();
    }

    String value(String flag) {
        String given = values.get(flag);
        if (given != null) {
            return given;
        }
        Option option =
                OPTIONS.stream().filter(o -> o.flag().equals(flag)).findFirst().orElseThrow();
        String fromEnv = option.env() == null ? null : env.get(option.env());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return option.fallback() == null ? "" : option.fallback();
    }

    /** The server builder these options describe. */
    public OrchestraServer.Builder builder() throws IOException {
        OrchestraServer.Builder b = OrchestraServer.builder()
                .host(value("--host"))
                .port(integer("--port"))
                .apiKey(apiKey())
                .corsOrigins(Arrays.stream(value("--cors-origins").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .maxRequestBytes(Long.parseLong(value("--max-request-bytes")))
                .rateLimit(Double.parseDouble(value("--rate-limit")))
                .nodeId(value("--node-id"))
                .stateManager(new StateManager(backend()));
        return demo ? Demos.register(b) : b;
    }

    /** A one-line description of the store, without credentials. */
    public String storeDescription() {
        return switch (value("--store")) {
            case "file" -> "file store at " + Path.of(value("--data-dir")).toAbsolutePath();
            case "postgres" -> "postgres store, table " + value("--postgres-table");
            case "redis" -> "redis store, key prefix " + value("--redis-prefix");
            default -> value("--store") + " store";
        };
    }

    private @Nullable String apiKey() throws IOException {
        String file = values.get("--api-key-file");
        if (file != null) {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        }
        return env.get("API_KEY");
    }

    private int integer(String flag) {
        try {
            return Integer.parseInt(value(flag));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, was '" + value(flag) + "'", e);
        }
    }

    private StorageBackend backend() {
        return switch (value("--store")) {
            case "file" -> new FileStorageBackend(Path.of(value("--data-dir")));
            case "memory" -> StorageBackends.inMemory();
            case "postgres" -> {
                org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
                ds.setURL(value("--postgres-url"));
                yield new JdbcStorageBackend(ds, value("--postgres-table"));
            }
            case "redis" -> new RedisStorageBackend(RedisURI.create(value("--redis-url")), value("--redis-prefix"));
            default ->
                throw new IllegalArgumentException(
                        "--store must be file, memory, postgres or redis, was '" + value("--store") + "'");
        };
    }
}

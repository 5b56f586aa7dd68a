package dev.orchestra4j.cluster.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestra4j.cluster.OrchestraCluster;
import dev.orchestra4j.cluster.SessionOutcome;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The worker launcher ({@code java -jar orchestra4j-worker.jar}): {@code worker} runs this process as a cluster worker
 * until SIGTERM (which drains it); {@code submit}, {@code status} and {@code respond} act as a client. Every topology
 * file in {@code --topologies} ({@code .yaml}, {@code .yml}, {@code .json}) is an instance named after the file. Its
 * agents are demo agents: each waits {@code --step-ms} (a stand-in for an LLM call), asks the user when its node has
 * an edge to User and it did not just get an answer, then finishes when it can reach End or hands off to its first
 * peer. Real agents are registered by embedding {@link OrchestraCluster} in an application.
 */
public final class WorkerMain {

    private static final String USAGE = """
            usage: java -jar orchestra4j-worker.jar <command> [flags]
              worker                      run as a worker until SIGTERM (drains: sessions continue on other workers)
              submit <instance> <task>    store a new session and print its id
              status <sessionId>          print where a session stands
              respond <sessionId> <text>  answer the session's oldest pending question, wait for its next stop
            flags (a flag wins over its environment variable):
              --jdbc-url URL       PostgreSQL (env ORCHESTRA4J_PG_URL), required
              --topologies DIR     topology files, one instance each (env ORCHESTRA4J_TOPOLOGIES), required
              --state-table NAME   session storage table (default orchestra4j_state)
              --tables PREFIX      cluster tables prefix (default orchestra4j_)
              --worker-id ID       this worker's name (default host:pid:random)
              --heartbeat-ms N     heartbeat interval (default 1000)
              --max-legs N         most sessions run at once (default 64)
              --step-ms N          the demo agents' latency (default 500)
            """;

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        try {
            System.exit(run(args, System.getenv(), System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) throws InterruptedException {
        if (args.length == 0 || args[0].equals("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> positional = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag " + args[i] + " needs a value");
                }
                flags.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        String url = required(flags, env, "jdbc-url", "ORCHESTRA4J_PG_URL");
        Path dir = Path.of(required(flags, env, "topologies", "ORCHESTRA4J_TOPOLOGIES"));
        try (HikariDataSource ds = pool(url, flags.getOrDefault("worker-id", "orchestra4j-worker"))) {
            OrchestraCluster cluster = cluster(ds, dir, flags);
            if (command.equals("worker")) {
                return work(cluster, out); // its shutdown hook drains and closes it
            }
            try (cluster) {
                return client(cluster, command, positional, out);
            }
        }
    }

    private static int client(OrchestraCluster cluster, String command, List<String> positional, PrintStream out) {
        return switch (command) {
            case "submit" -> {
                need(positional, 2, "submit <instance> <task>");
                out.println(cluster.submit(positional.get(0), positional.get(1), Map.of()));
                yield 0;
            }
            case "status" -> {
                need(positional, 1, "status <sessionId>");
                out.println(describe(cluster.outcome(positional.get(0))
                        .orElseThrow(
                                () -> new IllegalArgumentException("unknown session '" + positional.get(0) + "'"))));
                yield 0;
            }
            case "respond" -> {
                need(positional, 2, "respond <sessionId> <text>");
                out.println(describe(cluster.respond(positional.get(0), null, positional.get(1))
                        .nextStop()
                        .join()));
                yield 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    private static int work(OrchestraCluster cluster, PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            out.println("worker " + cluster.workerId() + " drained");
            stopped.countDown();
        }));
        cluster.start();
        out.println("worker " + cluster.workerId() + " started");
        stopped.await();
        return 0;
    }

    private static String describe(SessionOutcome o) {
        StringBuilder s = new StringBuilder(o.sessionId()).append(' ').append(o.status());
        o.pendingQuestions().forEach(q -> s.append("\n  question ")
                .append(q.interactionId())
                .append(": ")
                .append(q.question()));
        o.finalResponse().ifPresent(r -> s.append("\n  result: ").append(r));
        return s.toString();
    }

    static OrchestraCluster cluster(javax.sql.DataSource ds, Path dir, Map<String, String> flags) {
        StateManager manager = new StateManager(
                new JdbcStorageBackend(ds, flags.getOrDefault("state-table", JdbcStorageBackend.DEFAULT_TABLE)));
        long stepMs = number(flags, "step-ms", 500);
        OrchestraCluster.Builder b = OrchestraCluster.builder()
                .dataSource(ds)
                .tables(flags.getOrDefault("tables", Tables.DEFAULT_PREFIX))
                .heartbeat(Duration.ofMillis(number(flags, "heartbeat-ms", 1000)))
                .maxConcurrentLegs((int) number(flags, "max-legs", 64));
        if (flags.containsKey("worker-id")) {
            b.workerId(flags.get("worker-id"));
        }
        topologies(dir)
                .forEach((name, topology) -> b.instance(
                        name,
                        OrchestraInstance.builder()
                                .topology(topology)
                                .agents(demoAgents(topology, stepMs))
                                .stateManager(manager)
                                .communicationConfig(CommunicationConfig.durable())
                                .build()));
        return b.build();
    }

    /** Every topology file of {@code dir}, by file name without its extension. */
    static Map<String, Topology> topologies(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--topologies '" + dir + "' is not a directory");
        }
        Map<String, Topology> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                String ext = dot < 0 ? "" : name.substring(dot + 1);
                if (ext.equals("yaml") || ext.equals("yml")) {
                    out.put(name.substring(0, dot), Topology.fromYaml(Files.readString(file)));
                } else if (ext.equals("json")) {
                    out.put(name.substring(0, dot), Topology.fromJson(Files.readString(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the topologies in '" + dir + "'", e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--topologies '" + dir + "' holds no .yaml, .yml or .json file");
        }
        return out;
    }

    /** The demo agents of a topology (see the class comment). */
    static AgentRegistry demoAgents(Topology topology, long stepMs) {
        AgentRegistry agents = AgentRegistry.create();
        var analysis = topology.analysis();
        for (var node : topology.nodes()) {
            String name = node.name();
            if (node.kind() != dev.orchestra4j.topology.NodeKind.AGENT) {
                continue;
            }
            agents.register(name, r -> {
                Thread.sleep(stepMs); // stands in for the latency of a model call
                String trail = r.inputText() + ">" + name;
                if (r.canAskUser() && !"User".equals(r.from())) {
                    return AgentResponse.askUser("approve " + name + "'s work on: " + r.inputText() + "?");
                }
                if (analysis.exitAgents().contains(name)) {
                    return AgentResponse.finish(trail);
                }
                return AgentResponse.handOff(r.peers().getFirst(), trail);
            });
        }
        return agents;
    }

    private static String required(Map<String, String> flags, Map<String, String> env, String flag, String var) {
        String value = flags.getOrDefault(flag, env.get(var));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + flag + " (or " + var + ") is required");
        }
        return value;
    }

    private static long number(Map<String, String> flags, String flag, long fallback) {
        String value = flags.get(flag);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be a number, was '" + value + "'", e);
        }
    }

    private static void need(List<String> positional, int n, String usage) {
        if (positional.size() != n) {
            throw new IllegalArgumentException("expected: " + usage);
        }
    }

    private static HikariDataSource pool(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(1);
        config.setPoolName(name.replaceAll("[^A-Za-z0-9_-]", "_"));
        return new HikariDataSource(config);
    }
}

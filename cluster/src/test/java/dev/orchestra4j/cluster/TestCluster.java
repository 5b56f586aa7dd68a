package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the cluster tests share with their worker processes: the database, the tables of one test run (all named from
 * one random prefix), and scripted topologies whose agents record every call in a {@code calls} table — the side
 * channel that tells which steps ran, how often and on which worker, with PostgreSQL as the one clock.
 */
final class TestCluster {

    static final String PG_URL = env("ORCHESTRA4J_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestCluster() {}

    static String uniquePrefix() {
        return "o4jc_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT) + "_";
    }

    /** A plain data source: one new connection per use (for checks and the test's own queries). */
    static DataSource dataSource(String url, String applicationName) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setApplicationName(applicationName);
        return ds;
    }

    /** A small pool, as a real deployment has: what cluster nodes use. */
    static HikariDataSource pool(String url, String applicationName) {
        return pool(url, applicationName, 8, Duration.ofSeconds(10));
    }

    static HikariDataSource pool(String url, String applicationName, int size, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource(url, applicationName));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setPoolName(applicationName);
        return new HikariDataSource(config);
    }

    /** Skips loudly without PostgreSQL locally; fails with {@code CI=true}. */
    static void requirePostgres() {
        try (Connection c = dataSource(PG_URL, "o4j-check").getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = "*** PostgreSQL at " + PG_URL + " is unreachable (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; failing because CI=true ***", e);
            }
            System.err.println(message + "; the cluster tests are SKIPPED ***");
            Assumptions.abort(message);
        }
    }

    static void createCallsTable(DataSource ds, String prefix) {
        execute(
                ds,
                "CREATE TABLE IF NOT EXISTS " + prefix + "calls (id bigserial PRIMARY KEY, session text NOT NULL,"
                        + " step text NOT NULL, worker text NOT NULL, input text, branch text, stepno int,"
                        + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
    }

    static void dropAll(DataSource ds, String prefix) {
        for (String t : List.of("runs", "inbox", "calls", "state", "state_journal", "state_journal_head")) {
            execute(ds, "DROP TABLE IF EXISTS " + prefix + t);
        }
    }

    static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** One recorded agent call. */
    record Call(String step, String worker, String input) {}

    static List<Call> calls(DataSource ds, String prefix, String sessionId) {
        String sql = "SELECT step, worker, input FROM " + prefix + "calls WHERE session = ? ORDER BY id";
        try (Connection c = ds.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, sessionId);
            List<Call> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Call(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static String text(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Waits until {@code condition} holds, checking every 20 ms, or fails naming {@code what}. */
    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    static OrchestraCluster.Builder cluster(DataSource ds, String prefix, String workerId) {
        return cluster(ds, ds, prefix, workerId);
    }

    /**
     * {@code calls} is where the agents record their calls (the tests' instrument, not the system under test): a worker
     * JVM gives it a pool of its own, so that a test cutting the worker's connections (DatabaseBlipTest) fails no agent
     * through its bookkeeping.
     */
    static OrchestraCluster.Builder cluster(DataSource ds, DataSource calls, String prefix, String workerId) {
        StateManager manager = new StateManager(new JdbcStorageBackend(ds, prefix + "state"));
        OrchestraCluster.Builder b = OrchestraCluster.builder()
                .dataSource(ds)
                .tables(prefix)
                .workerId(workerId)
                .heartbeat(Duration.ofMillis(500))
                .missedHeartbeats(4)
                .pollInterval(Duration.ofMillis(200))
                .drainTimeout(Duration.ofSeconds(20))
                .maxConcurrentLegs(16);
        instances(manager, calls, prefix, workerId).forEach(b::instance);
        return b;
    }

    /**
     * The scripted topologies. {@code pipeline}: S1 → … → S6, each appending "&gt;Sn" to its input; context {@code
     * step_ms} is each step's (simulated) latency, {@code block_at}/{@code block_ms} make one step take longer on its
     * first attempt only. {@code pipeline10}: the same with ten steps. {@code asking}: S1 → Ask; Ask asks "q1", then "q2" after the answer "a1", and finishes after
     * any other answer. {@code fork}: Hub forks Asker (asks "approve?") and Slow ({@code slow_ms}), then joins.
     */
    static Map<String, OrchestraInstance> instances(
            StateManager manager, DataSource ds, String prefix, String workerId) {
        Recorder rec = new Recorder(ds, prefix, workerId);
        Map<String, OrchestraInstance> out = new LinkedHashMap<>();
        out.put("pipeline", pipeline(6, rec, manager));
        out.put("pipeline10", pipeline(10, rec, manager));

        AgentRegistry asking = AgentRegistry.create()
                .register("S1", r -> {
                    rec.record(r.sessionId(), "S1", r.inputText(), r.branchId(), r.step());
                    return AgentResponse.handOff("Ask", r.inputText() + ">S1");
                })
                .register("Ask", r -> {
                    rec.record(r.sessionId(), "Ask", r.inputText(), r.branchId(), r.step());
                    if (r.inputText().endsWith(">S1")) {
                        return AgentResponse.askUser("q1");
                    }
                    return r.inputText().equals("a1")
                            ? AgentResponse.askUser("q2")
                            : AgentResponse.finish("answered: " + r.inputText());
                });
        out.put(
                "asking",
                instance(
                        Topology.builder()
                                .edges("Start -> S1", "S1 -> Ask", "Ask -> User", "Ask -> End")
                                .build(),
                        asking,
                        manager));

        AgentRegistry fork = AgentRegistry.create()
                .register("Hub", r -> {
                    rec.record(r.sessionId(), "Hub", r.inputText());
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("Asker", "ask"), Invocation.of("Slow", "work"))
                            : AgentResponse.finish(
                                    r.arrivals().stream().map(Arrival::value).toList());
                })
                .register("Asker", r -> {
                    rec.record(r.sessionId(), "Asker", r.inputText());
                    return r.inputText().equals("ask")
                            ? AgentResponse.askUser("approve?")
                            : AgentResponse.finish("approved: " + r.inputText());
                })
                .register("Slow", r -> {
                    rec.record(r.sessionId(), "Slow", r.inputText());
                    Thread.sleep(number(r.context().get("slow_ms"))); // simulated latency
                    rec.record(r.sessionId(), "SlowDone", "");
                    return AgentResponse.finish("slow");
                });
        out.put(
                "fork",
                instance(
                        Topology.builder()
                                .edges("Start -> Hub", "Hub <-> Asker", "Hub <-> Slow", "Asker -> User", "Hub -> End")
                                .build(),
                        fork,
                        manager));
        return out;
    }

    /**
     * S1 → … → Sn, each appending "&gt;Sk" to its input. Each step sleeps {@code step_ms}, or, with {@code
     * step_ms_max}, a latency between the two fixed by the session and step (the same on a re-execution).
     */
    private static OrchestraInstance pipeline(int n, Recorder rec, StateManager manager) {
        AgentRegistry agents = AgentRegistry.create();
        Topology.Builder t = Topology.builder().edge("Start -> S1");
        for (int i = 1; i <= n; i++) {
            String step = "S" + i;
            String next = i == n ? null : "S" + (i + 1);
            t.edge(step + " -> " + (next == null ? "End" : next));
            agents.register(step, r -> {
                int attempt = rec.record(r.sessionId(), step, r.inputText(), r.branchId(), r.step());
                long ms = number(r.context().get("step_ms"));
                if (r.context().get("step_ms_max") != null) {
                    long spread = number(r.context().get("step_ms_max")) - ms + 1;
                    ms += Math.floorMod((r.sessionId() + step).hashCode(), spread);
                }
                if (step.equals(r.context().get("block_at")) && attempt == 1) {
                    ms = number(r.context().get("block_ms"));
                }
                Thread.sleep(ms); // the step's simulated latency (an LLM call), not a synchronisation
                String out = r.inputText() + ">" + step;
                return next == null ? AgentResponse.finish(out) : AgentResponse.handOff(next, out);
            });
        }
        return instance(t.build(), agents, manager);
    }

    private static OrchestraInstance instance(Topology t, AgentRegistry agents, StateManager manager) {
        return OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(manager)
                .communicationConfig(CommunicationConfig.durable())
                .build();
    }

    private static long number(Object value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    /** Inserts one row per agent call; returns the how-many-th call of this step in this session it is. */
    record Recorder(DataSource ds, String prefix, String workerId) {
        int record(String sessionId, String step, String input) {
            return record(sessionId, step, input, null, 0);
        }

        /** Also records the idempotency key a tool would use: the request's branch and step. */
        int record(String sessionId, String step, String input, @Nullable String branch, int stepNo) {
            String sql = "WITH ins AS (INSERT INTO " + prefix + "calls (session, step, worker, input, branch, stepno)"
                    + " VALUES (?, ?, ?, ?, ?, ?) RETURNING 1) SELECT count(*) + 1 FROM " + prefix
                    + "calls WHERE session = ? AND step = ?";
            try (Connection c = ds.getConnection();
                    PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, sessionId);
                p.setString(2, step);
                p.setString(3, workerId);
                p.setString(4, input);
                p.setString(5, branch);
                p.setInt(6, stepNo);
                p.setString(7, sessionId);
                p.setString(8, step);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not record the call of " + step + ": " + e.getMessage(), e);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

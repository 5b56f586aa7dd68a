package dev.orchestra4j.cluster;

import dev.orchestra4j.cluster.TestCluster.Call;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * A cluster scenario (research-scale-out §7): worker JVMs as child processes, this JVM a pure client (never started),
 * all on tables of their own. Heartbeat 500 ms, dead after 4 missed beats.
 */
@Tag("cluster")
abstract class ScenarioBase {

    final String prefix = TestCluster.uniquePrefix();
    DataSource db;
    com.zaxxer.hikari.HikariDataSource pool;
    OrchestraCluster client;
    Workers workers;

    @BeforeEach
    void setUpCluster() {
        TestCluster.requirePostgres();
        db = TestCluster.dataSource(TestCluster.PG_URL, prefix + "test");
        TestCluster.createCallsTable(db, prefix);
        pool = TestCluster.pool(TestCluster.PG_URL, prefix + "client");
        client = TestCluster.cluster(pool, prefix, "client").build();
        workers = new Workers(prefix);
    }

    @AfterEach
    void tearDownCluster() {
        try {
            if (workers != null) {
                workers.close();
            }
            if (client != null) {
                client.close();
            }
            if (pool != null) {
                pool.close();
            }
        } finally {
            if (db != null) {
                TestCluster.dropAll(db, prefix);
            }
        }
    }

    List<Call> calls(String sessionId) {
        return TestCluster.calls(db, prefix, sessionId);
    }

    List<String> steps(String sessionId) {
        return calls(sessionId).stream().map(Call::step).toList();
    }

    /** The worker whose leg holds the session's run row now. */
    String owner(String sessionId) {
        return TestCluster.text(
                db, "SELECT picked_by FROM " + prefix + "runs WHERE task_instance = '" + sessionId + "' AND picked");
    }

    long runRows() {
        return TestCluster.count(db, "SELECT count(*) FROM " + prefix + "runs");
    }

    void awaitStep(String sessionId, String step, int times) {
        TestCluster.awaitTrue(
                step + " ran " + times + "x in " + sessionId,
                Duration.ofSeconds(60),
                () -> steps(sessionId).stream().filter(step::equals).count() >= times);
    }

    String submitPipeline(String sessionId, Map<String, Object> context) {
        Map<String, Object> ctx = new java.util.HashMap<>(context);
        ctx.put("session_id", sessionId);
        ctx.putIfAbsent("step_ms", "50");
        return client.submit("pipeline", "go", ctx);
    }

    static final String ALL_STEPS = "go>S1>S2>S3>S4>S5>S6";
}

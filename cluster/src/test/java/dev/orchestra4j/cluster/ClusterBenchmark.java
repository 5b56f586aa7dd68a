package dev.orchestra4j.cluster;

import static dev.orchestra4j.cluster.BenchReport.loadavg;
import static dev.orchestra4j.cluster.BenchReport.percentile;
import static dev.orchestra4j.cluster.BenchReport.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster benchmark of research-scale-out §8 (items 1, 2 — steps and answers —, 3 and 5), one run on this machine. Not part of {@code
 * mvn verify} (tag {@code benchmark}); run it with {@code ./mvnw -B test -pl cluster -Dgroups=benchmark
 * -Dcluster.excludedGroups=none -Dtest=ClusterBenchmark}. It prints one line per measurement, copied into
 * BENCHMARKS.md. Workers here run with heartbeat 1 s and 4 missed beats (the defaults), not the tests' 0.5 s.
 */
@Tag("benchmark")
final class ClusterBenchmark extends ScenarioBase {

    private static final int KILLS = 20;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void failoverDrainAndThroughput() throws Exception {
        workers.close();
        workers = new Workers(prefix, 1000);
        report("loadavg at start: " + loadavg());
        failover();
        answers();
        drain();
        for (int n = 1; n <= 3; n++) {
            throughput(n);
        }
        report("loadavg at end: " + loadavg());
    }

    /** Item 1 and 2: kill the owner of a session in the middle of a step, {@value #KILLS} times. */
    private void failover() throws Exception {
        for (String w : List.of("w1", "w2", "w3")) {
            workers.start(w);
        }
        List<Double> seconds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            String id = submitPipeline("fo-" + i, Map.of("block_at", "S2", "block_ms", "60000", "step_ms", "20"));
            ids.add(id);
            awaitStep(id, "S2", 1);
            String owner = owner(id);
            String killedAt = TestCluster.text(db, "SELECT clock_timestamp()::text");
            workers.kill(owner);
            awaitStep(id, "S2", 2);
            seconds.add(Double.parseDouble(TestCluster.text(
                    db,
                    "SELECT extract(epoch FROM (max(at) - '" + killedAt + "'::timestamptz)) FROM " + prefix
                            + "calls WHERE session = '" + id + "' AND step = 'S2'")));
            workers.start(owner + "r" + i); // a fresh worker replaces the dead one
        }
        int lost = 0;
        int repeated = 0;
        int reexecuted = 0;
        for (String id : ids) {
            SessionOutcome o = client.await(id, Duration.ofSeconds(120));
            assertThat(o.runStatus()).contains(RunStatus.COMPLETED);
            List<String> steps = steps(id);
            for (String s : List.of("S1", "S2", "S3", "S4", "S5", "S6")) {
                long n = steps.stream().filter(s::equals).count();
                lost += n == 0 ? 1 : 0;
                if (s.equals("S2")) {
                    reexecuted += (int) (n - 1);
                } else {
                    repeated += n > 1 ? (int) (n - 1) : 0;
                }
            }
            lost += o.finalResponses().equals(List.of(ALL_STEPS)) ? 0 : 1;
        }
        Collections.sort(seconds);
        report(String.format(
                Locale.ROOT,
                "failover (h=1s, L=4, %d kills): p50 %.2f s, p95 %.2f s, max %.2f s; lost committed steps %d,"
                        + " repeated committed steps %d, re-executed in-flight steps %d of %d in flight",
                KILLS,
                percentile(seconds, 50),
                percentile(seconds, 95),
                seconds.getLast(),
                lost,
                repeated,
                reexecuted,
                KILLS));
        assertThat(lost).isZero();
        assertThat(repeated).isZero();
        workers.close();
        workers = new Workers(prefix, 1000);
    }

    /**
     * Item 2, answers: an answer sent while its session runs on another worker, and that worker killed right after,
     * {@value #KILLS} times. Each answer is unique, so the final result says whether it was lost or applied twice.
     */
    private void answers() throws Exception {
        for (String w : List.of("a1", "a2")) {
            workers.start(w);
        }
        int lost = 0;
        int twice = 0;
        for (int i = 0; i < KILLS; i++) {
            String id = client.submit("fork", "go", Map.of("session_id", "an-" + i, "slow_ms", "3000"));
            String sid = id;
            TestCluster.awaitTrue(
                    "'" + id + "' asks while its other branch runs", Duration.ofSeconds(60), () -> client.outcome(sid)
                            .map(o -> o.status().equals("RUNNING")
                                    && !o.pendingQuestions().isEmpty())
                            .orElse(false));
            String owner = owner(id);
            String answer = "yes-" + i;
            ResponseReceipt receipt = client.respond(id, null, answer);
            workers.kill(owner);
            assertThat(receipt.status()).isEqualTo(ResponseReceipt.Status.ACCEPTED);
            SessionOutcome done = receipt.nextStop().get(120, TimeUnit.SECONDS);
            assertThat(done.runStatus()).contains(RunStatus.COMPLETED);
            String result = done.finalResponses().toString();
            int applied = result.split("approved: " + answer + "\\b", -1).length - 1;
            lost += applied == 0 ? 1 : 0;
            twice += applied > 1 ? 1 : 0;
            workers.start(owner + "a" + i); // a fresh worker replaces the dead one
        }
        report(String.format(
                Locale.ROOT,
                "answers (%d, each sent to a session running elsewhere right before its owner's SIGKILL): lost %d,"
                        + " applied twice %d",
                KILLS,
                lost,
                twice));
        assertThat(lost).isZero();
        assertThat(twice).isZero();
        workers.close();
        workers = new Workers(prefix, 1000);
    }

    /** Item 3: SIGTERM the owner mid-session; how long until the next step runs elsewhere, and what ran twice. */
    private void drain() throws Exception {
        workers.start("d1");
        workers.start("d2");
        List<Double> seconds = new ArrayList<>();
        int twice = 0;
        for (int i = 0; i < 5; i++) {
            String id = submitPipeline("dr-" + i, Map.of("step_ms", "300"));
            awaitStep(id, "S2", 1);
            String owner = owner(id);
            String termAt = TestCluster.text(db, "SELECT clock_timestamp()::text");
            workers.get(owner).signal("TERM");
            assertThat(client.await(id, Duration.ofSeconds(60)).runStatus()).contains(RunStatus.COMPLETED);
            seconds.add(Double.parseDouble(TestCluster.text(
                    db,
                    "SELECT extract(epoch FROM (min(at) - '" + termAt + "'::timestamptz)) FROM " + prefix
                            + "calls WHERE session = '" + id + "' AND worker <> '" + owner + "'")));
            twice += steps(id).size() - 6;
            workers.start(owner + "x" + i);
        }
        Collections.sort(seconds);
        report(String.format(
                Locale.ROOT,
                "drain (5 SIGTERMs, steps of 300 ms): SIGTERM -> next step elsewhere p50 %.2f s, max %.2f s;"
                        + " re-executed steps %d",
                percentile(seconds, 50),
                seconds.getLast(),
                twice));
        workers.close();
        workers = new Workers(prefix, 1000);
    }

    /** Item 5: completed sessions per second with n workers on I/O-bound agents (6 steps of 100 ms each). */
    private void throughput(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            workers.start("t" + n + "-" + i);
        }
        int sessions = 90;
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(submitPipeline("tp" + n + "-" + i, Map.of("step_ms", "100")));
        }
        for (String id : ids) {
            assertThat(client.await(id, Duration.ofSeconds(300)).runStatus()).contains(RunStatus.COMPLETED);
        }
        double took = (System.nanoTime() - start) / 1e9;
        report(String.format(
                Locale.ROOT,
                "throughput, %d worker(s), %d sessions x 6 steps of 100 ms: %.1f s, %.2f sessions/s",
                n,
                sessions,
                took,
                sessions / took));
        workers.close();
        workers = new Workers(prefix, 1000);
    }
}

package dev.orchestra4j.cluster;

import static dev.orchestra4j.cluster.BenchReport.loadavg;
import static dev.orchestra4j.cluster.BenchReport.percentile;
import static dev.orchestra4j.cluster.BenchReport.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.cluster.CallAudit.Attempt;
import dev.orchestra4j.cluster.CallAudit.Kill;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Research-scale-out §7 scenarios B (kill under load) and H (soak with random kills), on real worker JVMs. Not part of
 * {@code mvn verify} (tag {@code benchmark}): {@code ./mvnw -B test -pl cluster -Dcluster.excludedGroups=none
 * -Dgroups=benchmark -Dtest=LoadAndSoakBenchmark}. Both fail when a session does not complete, a committed step runs
 * twice (only a step in flight at a kill may, see {@link CallAudit}) or an answer is lost or applied twice. Heartbeat
 * 1 s, dead after 4 missed beats. The kill schedule comes from {@code -Dcluster.seed} (printed; random by default);
 * {@code -Dcluster.sessions}, {@code -Dcluster.soakSeconds}, {@code -Dcluster.soakKills} and {@code
 * -Dcluster.soakIntervalMs} scale them.
 */
@Tag("benchmark")
final class LoadAndSoakBenchmark extends ScenarioBase {

    private static final long SEED = Long.getLong("cluster.seed", System.nanoTime());
    private static final int SESSIONS = Integer.getInteger("cluster.sessions", 300);
    private static final int SOAK_SECONDS = Integer.getInteger("cluster.soakSeconds", 60);
    private static final int SOAK_KILLS = Integer.getInteger("cluster.soakKills", 20);
    private static final int SOAK_INTERVAL_MS = Integer.getInteger("cluster.soakIntervalMs", 250);
    private static final Duration SETTLE = Duration.ofMinutes(10);
    private static final String TEN_STEPS =
            "go" + IntStream.rangeClosed(1, 10).mapToObj(i -> ">S" + i).reduce("", String::concat);
    private static final Map<String, Object> STEPS_50_TO_200_MS = Map.of("step_ms", "50", "step_ms_max", "200");

    /**
     * Scenario B: 3 workers, {@link #SESSIONS} sessions × 10 steps of 50–200 ms submitted at once, first without a
     * kill (the baseline, after a warm-up round), then again with one worker SIGKILLed at t = 5 s.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void killUnderLoad_everySessionCompletes_onlyStepsInFlightRunAgain() throws Exception {
        Random random = new Random(SEED);
        clientOnBiggerPool();
        report("B: seed " + SEED + " (rerun with -Dcluster.seed=" + SEED + "), loadavg at start: " + loadavg());
        restartWorkers("w1", "w2", "w3");
        load("bw-", 30, Optional.empty()); // warm-up, not measured
        Load baseline = load("b0-", SESSIONS, Optional.empty());
        String victim = List.of("w1", "w2", "w3").get(random.nextInt(3));
        Load killed = load("b1-", SESSIONS, Optional.of(victim));

        List<Attempt> attempts = CallAudit.load(db, prefix).stream()
                .filter(a -> a.session().startsWith("b1-"))
                .toList();
        Kill kill = killed.kill().orElseThrow();
        CallAudit.Result audit = CallAudit.audit(attempts, List.of(kill), takeovers());
        explain(audit, attempts);
        List<String> recovered = recovered(victim);
        List<Double> resume = new ArrayList<>();
        for (String id : recovered) {
            CallAudit.resumeSeconds(attempts, id, kill).ifPresent(resume::add);
        }
        Collections.sort(resume);
        report(String.format(
                Locale.ROOT,
                "B: %d sessions x 10 steps of 50-200 ms on 3 workers: all complete in %.1f s without a kill, %.1f s"
                        + " with %s SIGKILLed at t = 5 s (%d sessions picked by it); %d sessions recovered, resumed"
                        + " after p50 %.2f s, p95 %.2f s, max %.2f s (%d recovered with no step left); not completed"
                        + " %d, lost committed steps %d, repeated committed steps %d, re-executed in-flight steps %d",
                SESSIONS,
                baseline.seconds(),
                killed.seconds(),
                victim,
                killed.pickedByVictim(),
                recovered.size(),
                percentile(resume, 50),
                percentile(resume, 95),
                resume.isEmpty() ? Double.NaN : resume.getLast(),
                recovered.size() - resume.size(),
                baseline.notCompleted() + killed.notCompleted(),
                baseline.lost() + killed.lost(),
                audit.repeated().size(),
                audit.reexecuted()));
        report("B: loadavg at end: " + loadavg());
        assertThat(baseline.notCompleted() + killed.notCompleted())
                .as("sessions not COMPLETED")
                .isZero();
        assertThat(baseline.lost() + killed.lost())
                .as("sessions whose result misses a committed step or holds one twice")
                .isZero();
        assertThat(audit.repeated()).as("committed steps run again").isEmpty();
        assertThat(recovered).as("the kill hit running sessions").isNotEmpty();
        assertThat(audit.reexecuted())
                .as("re-executed steps <= recovered sessions x in-flight width 1")
                .isLessThanOrEqualTo(recovered.size());
    }

    /** Submits {@code sessions} 10-step sessions at once, kills {@code victim} 5 s after, awaits all. */
    private Load load(String tag, int sessions, Optional<String> victim) throws Exception {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        Semaphore submitting = new Semaphore(6); // the client's pool holds 8 connections
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SessionOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String id = tag + i;
                outcomes.add(threads.submit(() -> {
                    submitting.acquire();
                    try {
                        submitTen(id);
                    } finally {
                        submitting.release();
                    }
                    return client.await(id, SETTLE);
                }));
            }
            Optional<Kill> kill = Optional.empty();
            long picked = 0;
            if (victim.isPresent()) {
                parkUntil(t0 + TimeUnit.SECONDS.toNanos(5)); // the kill time of the scenario, not a synchronisation
                picked = TestCluster.count(
                        db,
                        "SELECT count(*) FROM " + prefix + "runs WHERE picked AND picked_by = '" + victim.get() + "'");
                kill = Optional.of(killNow(victim.get()));
            }
            int notCompleted = 0;
            int lost = 0;
            Instant last = start;
            for (Future<SessionOutcome> f : outcomes) {
                SessionOutcome o = f.get();
                notCompleted += o.runStatus().equals(Optional.of(RunStatus.COMPLETED)) ? 0 : 1;
                lost += o.finalResponses().equals(List.of(TEN_STEPS)) ? 0 : 1;
                last = o.updatedAt().isAfter(last) ? o.updatedAt() : last;
            }
            double seconds = Duration.between(start, last).toMillis() / 1000.0;
            return new Load(seconds, notCompleted, lost, kill, picked);
        }
    }

    private record Load(double seconds, int notCompleted, int lost, Optional<Kill> kill, long pickedByVictim) {}

    /**
     * Scenario H: for at least {@link #SOAK_SECONDS} s and {@link #SOAK_KILLS} kills of a worker that held sessions,
     * a random one of three workers is SIGKILLed every 8–12 s and replaced by a fresh one, while 10-step sessions and
     * sessions that ask twice are submitted every {@link #SOAK_INTERVAL_MS} ms and each question is answered as soon
     * as it is asked.
     */
    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void soakWithRandomKills_everySessionCompletes_noStepOrAnswerLostOrRepeated() throws Exception {
        Random random = new Random(SEED);
        clientOnBiggerPool();
        report("H: seed " + SEED + " (rerun with -Dcluster.seed=" + SEED + "), loadavg at start: " + loadavg());
        List<String> alive = new ArrayList<>(List.of("h1", "h2", "h3"));
        restartWorkers(alive.toArray(String[]::new));
        ConcurrentLinkedQueue<Future<Driven>> driven = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> submitErrors = new ConcurrentLinkedQueue<>();
        AtomicInteger submitted = new AtomicInteger();
        List<Kill> kills = new ArrayList<>();
        double pgStart = pgNow();
        long t0 = System.nanoTime();
        try (ExecutorService drivers = Executors.newVirtualThreadPerTaskExecutor();
                ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor()) {
            submitter.scheduleAtFixedRate(
                    () -> {
                        int i = submitted.getAndIncrement();
                        try {
                            driven.add(
                                    drivers.submit(() -> i % 3 == 2 ? driveAsking("ha-" + i) : driveSteps("hs-" + i)));
                        } catch (RuntimeException e) {
                            submitErrors.add(e);
                        }
                    },
                    0,
                    SOAK_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
            long nextKill = t0 + killGap(random);
            while ((System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(SOAK_SECONDS) || measured(kills) < SOAK_KILLS)
                    && kills.size() < 3 * SOAK_KILLS) {
                parkUntil(nextKill); // the soak's kill schedule, not a synchronisation
                String victim = alive.get(random.nextInt(alive.size()));
                kills.add(killNow(victim));
                nextKill = System.nanoTime() + killGap(random);
                alive.remove(victim);
                String fresh = "h" + (3 + kills.size());
                workers.start(fresh);
                alive.add(fresh);
            }
            submitter.shutdown();
        }
        double soakSeconds = (System.nanoTime() - t0) / 1e9;
        List<Driven> results = new ArrayList<>();
        for (Future<Driven> f : driven) {
            results.add(f.get());
        }
        double settledSeconds = (System.nanoTime() - t0) / 1e9;
        report("H: kills (worker@seconds into the soak): "
                + kills.stream()
                        .map(k -> String.format(Locale.ROOT, "%s@%.1f", k.worker(), k.at() - pgStart))
                        .toList());
        soakReport(results, kills, soakSeconds, settledSeconds);
        assertThat(submitErrors).as("submissions that failed").isEmpty();
    }

    private void soakReport(List<Driven> results, List<Kill> kills, double soakSeconds, double settledSeconds) {
        List<Attempt> attempts = CallAudit.load(db, prefix);
        Set<CallAudit.Takeover> takeovers = takeovers();
        CallAudit.Result audit = CallAudit.audit(attempts, kills, takeovers);
        explain(audit, attempts);
        Set<String> killed = new HashSet<>();
        kills.forEach(k -> killed.add(k.worker()));
        List<CallAudit.Takeover> ofLiveWorkers =
                takeovers.stream().filter(t -> !killed.contains(t.worker())).toList();
        report("H: sessions taken over from workers that were not killed (missed heartbeats): " + ofLiveWorkers);
        List<Attempt> answersTwice = audit.repeated().stream()
                .filter(a -> a.step().equals("Ask") && !a.input().equals("go>S1"))
                .toList();
        int stepsTwice = audit.repeated().size() - answersTwice.size();
        List<Double> resume = new ArrayList<>();
        List<Double> perKill = new ArrayList<>();
        int recovered = 0;
        for (Kill kill : kills) {
            List<Double> ofKill = new ArrayList<>();
            for (String id : recovered(kill.worker())) {
                recovered++;
                CallAudit.resumeSeconds(attempts, id, kill).ifPresent(ofKill::add);
            }
            resume.addAll(ofKill);
            ofKill.stream().max(Double::compare).ifPresent(perKill::add);
        }
        Collections.sort(resume);
        Collections.sort(perKill);
        long notCompleted = results.stream().filter(r -> !r.completed()).count();
        long wrongResult = results.stream().filter(r -> !r.rightResult()).count();
        int answers = results.stream().mapToInt(Driven::answers).sum();
        int answersLost = results.stream().mapToInt(Driven::answersLost).sum();
        int answersDuplicate =
                results.stream().mapToInt(Driven::duplicateReceipts).sum();
        report(String.format(
                Locale.ROOT,
                "H: %.0f s soak (all settled at %.0f s), %d sessions (%d asking twice), %d answers, %d SIGKILLs"
                        + " (%d hit running sessions, %d sessions recovered); failover (kill -> next step elsewhere) per"
                        + " session p50 %.2f s, p95 %.2f s, max %.2f s; per kill (its slowest session) p50 %.2f s,"
                        + " p95 %.2f s, max %.2f s; not completed %d, wrong result %d, repeated committed steps %d,"
                        + " re-executed in-flight steps %d, answers lost %d, applied twice %d, DUPLICATE receipts %d",
                soakSeconds,
                settledSeconds,
                results.size(),
                results.stream().filter(Driven::asking).count(),
                answers,
                kills.size(),
                measured(kills),
                recovered,
                percentile(resume, 50),
                percentile(resume, 95),
                resume.isEmpty() ? Double.NaN : resume.getLast(),
                percentile(perKill, 50),
                percentile(perKill, 95),
                perKill.isEmpty() ? Double.NaN : perKill.getLast(),
                notCompleted,
                wrongResult,
                stepsTwice,
                audit.reexecuted(),
                answersLost,
                answersTwice.size(),
                answersDuplicate));
        report("H: loadavg at end: " + loadavg());
        assertThat(notCompleted).as("sessions not COMPLETED").isZero();
        assertThat(wrongResult)
                .as("sessions whose result misses a committed step or answer, or holds one twice")
                .isZero();
        assertThat(audit.repeated())
                .as("committed steps or applied answers run again")
                .isEmpty();
        assertThat(answersLost).as("answers accepted but not applied").isZero();
        assertThat(answersDuplicate).as("unique answers reported DUPLICATE").isZero();
        assertThat(kills.size()).as("kills").isGreaterThanOrEqualTo(SOAK_KILLS);
        assertThat(perKill.size())
                .as("kills that hit running sessions, measured")
                .isGreaterThanOrEqualTo(SOAK_KILLS);
    }

    /** How one soak session went. */
    private record Driven(
            boolean asking,
            boolean completed,
            boolean rightResult,
            int answers,
            int answersLost,
            int duplicateReceipts) {}

    private Driven driveSteps(String id) {
        submitTen(id);
        SessionOutcome o = client.await(id, SETTLE);
        return new Driven(false, isCompleted(o), o.finalResponses().equals(List.of(TEN_STEPS)), 0, 0, 0);
    }

    /** Answers "a1" to q1 and a unique "done-…" to q2 as soon as each is asked. */
    private Driven driveAsking(String id) throws Exception {
        client.submit("asking", "go", Map.of("session_id", id));
        SessionOutcome o = client.await(id, SETTLE);
        Set<String> answered = new HashSet<>();
        int lost = 0;
        int duplicate = 0;
        while (o.runStatus().equals(Optional.of(RunStatus.WAITING_FOR_USER))) {
            UserQuestion q = o.pendingQuestions().getFirst();
            if (!answered.add(q.interactionId())) {
                lost++; // asked again after its answer was accepted: the answer never reached the session
                break;
            }
            ResponseReceipt receipt =
                    client.respond(id, q.interactionId(), q.question().equals("q1") ? "a1" : "done-" + id);
            duplicate += receipt.status() == ResponseReceipt.Status.DUPLICATE ? 1 : 0;
            o = receipt.nextStop().get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }
        boolean right = o.finalResponses().equals(List.of("answered: done-" + id));
        return new Driven(true, isCompleted(o), right, answered.size(), lost, duplicate);
    }

    private void submitTen(String id) {
        Map<String, Object> ctx = new LinkedHashMap<>(STEPS_50_TO_200_MS);
        ctx.put("session_id", id);
        client.submit("pipeline10", "go", ctx);
    }

    private static boolean isCompleted(SessionOutcome o) {
        return o.runStatus().equals(Optional.of(RunStatus.COMPLETED));
    }

    /** Every session a survivor reported recovering, with the worker it took it from. */
    private Set<CallAudit.Takeover> takeovers() {
        Set<CallAudit.Takeover> out = new HashSet<>();
        for (Workers.Worker w : workers.all()) {
            for (String line : w.lines) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[1].equals("SessionRecovered")) {
                    out.add(new CallAudit.Takeover(parts[2], parts[3]));
                }
            }
        }
        return out;
    }

    /** Prints the calls of every session with a repeat no kill or takeover explains, and what its workers said. */
    private void explain(CallAudit.Result audit, List<Attempt> attempts) {
        for (Attempt repeat : audit.repeated()) {
            report("unexplained repeat " + repeat);
            attempts.stream()
                    .filter(a -> a.session().equals(repeat.session()))
                    .forEach(a -> report(String.format(
                            Locale.ROOT,
                            "  %.3f %s %s #%d on %s",
                            a.at(),
                            a.step(),
                            a.branch(),
                            a.stepNo(),
                            a.worker())));
            for (Workers.Worker w : workers.all()) {
                w.lines.stream()
                        .filter(l -> l.contains(" " + repeat.session() + " ") || l.endsWith(" " + repeat.session()))
                        .forEach(l -> report("  " + w.id + ": " + l));
            }
        }
    }

    /** The kills that hit running sessions: a survivor has recovered a session of the killed worker. */
    private long measured(List<Kill> kills) {
        return kills.stream().filter(k -> !recovered(k.worker()).isEmpty()).count();
    }

    /** The sessions a survivor reported recovering from {@code deadWorker}. */
    private List<String> recovered(String deadWorker) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (Workers.Worker w : workers.all()) {
            for (String line : w.lines) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[1].equals("SessionRecovered") && parts[3].equals(deadWorker)) {
                    out.add(parts[2]);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private Kill killNow(String worker) throws InterruptedException {
        double at = pgNow();
        workers.kill(worker);
        return new Kill(worker, at);
    }

    /**
     * Hundreds of sessions awaited and answered at once from this JVM: the client gets 16 connections (the workers keep
     * 8 each). With 8, a soak at load 11 once timed out waiting for a connection in a submit.
     */
    private void clientOnBiggerPool() {
        client.close();
        pool.close();
        pool = TestCluster.pool(TestCluster.PG_URL, prefix + "client", 16, Duration.ofSeconds(30));
        client = TestCluster.cluster(pool, prefix, "client").build();
    }

    private double pgNow() {
        return Double.parseDouble(TestCluster.text(db, "SELECT extract(epoch FROM clock_timestamp())"));
    }

    private void restartWorkers(String... ids) throws Exception {
        workers.close();
        workers = new Workers(prefix, 1000);
        for (String id : ids) {
            workers.start(id);
        }
    }

    private static long killGap(Random random) {
        return TimeUnit.MILLISECONDS.toNanos(8000 + random.nextInt(4001));
    }

    private static void parkUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}

package dev.orchestra4j.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class PipelineTest {

    record Num(int value) {}

    record Text(String text) {}

    static Step<Num, Num> add(String id, int n) {
        return Step.of(id, Num.class, Num.class, (in, perf) -> new Num(in.value() + n));
    }

    static Step<Num, Num> times(String id, int n) {
        return Step.of(id, Num.class, Num.class, (in, perf) -> new Num(in.value() * n));
    }

    private static <O> O run(Pipeline p, Object input) {
        PipelineResult<O> r = p.perform(input);
        return r.output();
    }

    // ---- builder

    @Test
    void builder_misuse_failsAtTheBadCall() {
        Pipeline.Builder b = Pipeline.builder("p");
        assertThatThrownBy(() -> b.pipe(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step");
        assertThatThrownBy(() -> b.ensemble()).hasMessageContaining("ensemble");
        assertThatThrownBy(() -> b.fork()).hasMessageContaining("fork");
        assertThatThrownBy(() -> Pipeline.builder("empty").seal())
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("at least one step");
        assertThatThrownBy(() -> b.pipe(add("a", 1)).strict()).isInstanceOf(IllegalStateException.class);
        b.cycle((Num n) -> true, add("c", 1));
        assertThatThrownBy(() -> b.maxCycles(0)).hasMessageContaining("maxCycles must be at least 1");
        b.seal();
        assertThatThrownBy(() -> b.pipe(add("late", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after sealing");
    }

    @Test
    void seal_reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> Pipeline.builder("p")
                        .pipe(add("End", 1))
                        .pipe(add("a[1]", 1))
                        .ensemble(add("twin", 1), add("twin", 2))
                        .seal())
                .isInstanceOf(FlowException.class)
                .satisfies(e -> assertThat(((FlowException) e).problems())
                        .hasSize(3)
                        .anyMatch(p -> p.contains("'End' is a reserved"))
                        .anyMatch(p -> p.contains("'a[1]'"))
                        .anyMatch(p -> p.contains("'twin' twice")));
    }

    @Test
    void seal_incompatibleAdjacentContracts_listsThePair() {
        Step<Num, Text> show = Step.of("show", Num.class, Text.class, (in, p) -> new Text("" + in.value()));

        assertThatThrownBy(() ->
                        Pipeline.builder("p").pipe(show).pipe(add("add_one", 1)).seal())
                .isInstanceOf(FlowException.class)
                .hasMessageContaining(
                        "step 'show' outputs Text but step 'add_one' takes Num: missing property 'value'");
    }

    // ---- semantics

    @Test
    void pipe_addOneThenDouble() {
        Pipeline p = Pipeline.builder("math")
                .pipe(add("add_one", 1))
                .pipe(times("double", 2))
                .seal();

        assertThat((Num) run(p, new Num(3))).isEqualTo(new Num(8));
        assertThat((Num) run(p, Map.of("value", 3))).isEqualTo(new Num(8));
        Pipeline q = Pipeline.builder("q")
                .pipe(times("x2", 2))
                .pipe(add("plus5", 5))
                .pipe(add("minus3", -3))
                .seal();
        assertThat((Num) run(q, new Num(4))).isEqualTo(new Num(10));
    }

    private static Pipeline branched() {
        return Pipeline.builder("branched")
                .pipe(add("add_five", 5))
                .fork(
                        Route.when((Num d) -> d.value() > 10, times("double", 2)),
                        Route.when((Num d) -> d.value() <= 10, add("add_one", 1)))
                .seal();
    }

    @Test
    void fork_firstMatchingRouteRuns() {
        assertThat((Num) run(branched(), new Num(8))).isEqualTo(new Num(26));
        assertThat((Num) run(branched(), new Num(2))).isEqualTo(new Num(8));
    }

    @Test
    void fork_bothGatesTrue_onlyTheFirstRouteRuns() {
        Pipeline p = Pipeline.builder("p")
                .fork(Route.when((Num d) -> true, add("first", 1)), Route.when((Num d) -> true, add("second", 100)))
                .seal();

        PipelineResult<Num> r = p.perform(new Num(0));

        assertThat(r.output()).isEqualTo(new Num(1));
        assertThat(r.orchestraResult().agentInvocationCount("first")).isEqualTo(1);
        assertThat(r.orchestraResult().agentInvocationCount("second")).isZero();
    }

    @Test
    void fork_noMatch_passesThrough_strictFails_otherwiseRuns() {
        Step<Num, Num> addFive = add("add_five", 5);
        Route negative = Route.when((Num d) -> d.value() < 0, times("double", 2));
        Pipeline pass =
                Pipeline.builder("p").pipe(addFive).fork(negative).pipe(addFive).seal();
        assertThat((Num) run(pass, new Num(50))).isEqualTo(new Num(60));
        assertThat(pass.compile().topology().node("add_five#2")).isPresent();

        PipelineResult<Num> strict =
                Pipeline.builder("s").fork(negative).strict().seal().perform(new Num(50));
        assertThat(strict.success()).isFalse();
        assertThat(strict.error()).hasValueSatisfying(e -> assertThat(e).contains("no route of strict fork 'fork#1'"));
        assertThat(strict.orchestraResult().executionTrace())
                .anyMatch(t -> t.error().filter(e -> e.contains("no route")).isPresent());

        Pipeline other =
                Pipeline.builder("o").fork(negative).otherwise(add("plus1", 1)).seal();
        assertThat((Num) run(other, new Num(50))).isEqualTo(new Num(51));
    }

    @Test
    void cycle_isPreTestedAndCapped() {
        assertThat((Num) run(
                        Pipeline.builder("c")
                                .cycle((Num d) -> d.value() < 5, add("inc", 1))
                                .seal(),
                        new Num(0)))
                .isEqualTo(new Num(5));
        assertThat((Num) run(
                        Pipeline.builder("c")
                                .cycle((Num d) -> false, add("inc", 1))
                                .seal(),
                        new Num(7)))
                .isEqualTo(new Num(7));
        assertThat((Num) run(
                        Pipeline.builder("c")
                                .cycle((Num d) -> d.value() < 100, times("x2", 2))
                                .seal(),
                        new Num(5)))
                .isEqualTo(new Num(160));

        PipelineResult<Num> capped = Pipeline.builder("c")
                .cycle((Num d) -> true, add("inc", 1))
                .maxCycles(3)
                .seal()
                .perform(new Num(0));
        assertThat(capped.output()).isEqualTo(new Num(3));
        assertThat(capped.performance().warnings())
                .containsExactly("cycle 'cycle#1' reached maxCycles (3) and was left");
        assertThat(capped.performance().history()).hasSize(3);
    }

    @Test
    void cycle_onMaxCyclesFail_failsTheRun() {
        PipelineResult<Num> r = Pipeline.builder("c")
                .cycle((Num d) -> true, add("inc", 1))
                .maxCycles(2)
                .onMaxCycles(OnMaxCycles.FAIL)
                .seal()
                .perform(new Num(0));

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("reached maxCycles (2)"));
    }

    @Test
    void cycle_withTheDefaultCapOf100_doesNotTripMaxSteps() {
        Pipeline p =
                Pipeline.builder("long").cycle((Num d) -> true, add("inc", 1)).seal();

        assertThat((Num) run(p, new Num(0))).isEqualTo(new Num(100));
        assertThat(p.compile().maxSteps()).isGreaterThan(200);
    }

    @Test
    void ensemble_mergesByStepIdInDeclarationOrder_andMembersRunConcurrently() {
        CountDownLatch both = new CountDownLatch(2);
        Step<Num, Num> addStep = Step.of("add_step", Num.class, Num.class, (in, p) -> {
            both.countDown();
            assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
            return new Num(in.value() + 5);
        });
        Step<Num, Num> multiplyStep = Step.of("multiply_step", Num.class, Num.class, (in, p) -> {
            both.countDown();
            assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
            return new Num(in.value() * 2);
        });
        Pipeline p = Pipeline.builder("e").ensemble(addStep, multiplyStep).seal();

        Map<String, Object> out = run(p, new Num(10));

        assertThat(out).containsExactly(Map.entry("add_step", new Num(15)), Map.entry("multiply_step", new Num(20)));
    }

    @Test
    void ensemble_memberThrows_runFailsAndSiblingIsInterrupted() throws Exception {
        CountDownLatch siblingStarted = new CountDownLatch(1);
        CountDownLatch siblingInterrupted = new CountDownLatch(1);
        Step<Num, Num> slow = Step.of("slow", Num.class, Num.class, (in, p) -> {
            siblingStarted.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                siblingInterrupted.countDown();
                throw e;
            }
            return in;
        });
        Step<Num, Num> boom = Step.of("boom", Num.class, Num.class, (in, p) -> {
            assertThat(siblingStarted.await(10, TimeUnit.SECONDS)).isTrue();
            throw new IllegalStateException("boom failed");
        });

        PipelineResult<Map<String, Object>> r =
                Pipeline.builder("e").ensemble(slow, boom).seal().perform(new Num(1));

        assertThat(r.success()).isFalse();
        assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("boom failed"));
        assertThat(siblingInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void ensemble_collectErrors_waitsForAllAndJoinsErrors() {
        AtomicInteger finished = new AtomicInteger();
        Step<Num, Num> ok = Step.of("ok", Num.class, Num.class, (in, p) -> {
            finished.incrementAndGet();
            return in;
        });
        Step<Num, Num> bad1 = Step.of("bad1", Num.class, Num.class, (in, p) -> {
            throw new IllegalStateException("first");
        });
        Step<Num, Num> bad2 = Step.of("bad2", Num.class, Num.class, (in, p) -> {
            throw new IllegalStateException("second");
        });

        PipelineResult<Object> r = Pipeline.builder("e")
                .ensemble(bad1, ok, bad2)
                .collectErrors()
                .seal()
                .perform(new Num(1));

        assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("bad1: first; bad2: second"));
        assertThat(finished).hasValue(1);
    }

    // ---- contracts

    @Test
    void contract_outputMissingAProperty_isAValidationFailureNamingIt() {
        Step<Map<String, Object>, Map<String, Object>> sum =
                Step.untyped("sum", Num.class, Num.class, (in, p) -> Map.of("sum", 15));

        PipelineResult<Num> r = Pipeline.builder("c").pipe(sum).seal().perform(Map.of("value", 10));

        assertThat(r.success()).isFalse();
        assertThat(r.error())
                .hasValueSatisfying(e -> assertThat(e).contains("step 'sum' output: missing property 'value'"));
        assertThat(r.orchestraResult().agentInvocationCount("sum")).isEqualTo(1); // VALIDATION is never retried
    }

    @Test
    void contract_inputOfTheWrongShape_failsBeforeTheHandler() {
        AtomicInteger calls = new AtomicInteger();
        Step<Num, Num> counted = Step.of("counted", Num.class, Num.class, (in, p) -> {
            calls.incrementAndGet();
            return in;
        });

        PipelineResult<Num> r = Pipeline.builder("c").pipe(counted).seal().perform(Map.of("value", "not a number"));

        assertThat(r.error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("step 'counted' input").contains("'value'"));
        assertThat(calls).hasValue(0);
    }

    @Test
    void untyped_withoutContract_takesAndGivesMaps() {
        Step<Map<String, Object>, Map<String, Object>> echo =
                Step.untyped("echo", (in, p) -> Map.of("got", in.get("x")));

        Map<String, Object> out = run(Pipeline.builder("u").pipe(echo).seal(), Map.of("x", "y"));

        assertThat(out).isEqualTo(Map.of("got", "y"));
    }

    // ---- performance

    @Test
    void performance_historyHasOneEntryPerStepRun_andOutputsReachLaterSteps() {
        Step<Num, Num> useEarlier = Step.of(
                "use_earlier",
                Num.class,
                Num.class,
                (in, perf) -> new Num(in.value()
                        + perf.output("add_one", Num.class).orElseThrow().value()));
        Pipeline p = Pipeline.builder("perf")
                .annotate("owner", "team-a")
                .pipe(add("add_one", 1))
                .cycle((Num d) -> d.value() < 4, add("inc", 1))
                .pipe(useEarlier)
                .seal();

        PipelineResult<Num> r = p.perform(new Num(1));

        assertThat(r.output()).isEqualTo(new Num(6)); // 1+1=2, cycle to 4, 4+2
        Performance perf = r.performance();
        assertThat(perf.history())
                .extracting(Performance.Entry::stepId)
                .containsExactly("add_one", "inc", "inc", "use_earlier");
        Performance.Entry first = perf.history().getFirst();
        assertThat(first.input()).isEqualTo(Map.of("value", 1));
        assertThat(first.output()).isEqualTo(new Num(2));
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.duration().isNegative()).isFalse();
        assertThat(perf.output("use_earlier", Num.class)).hasValue(new Num(6));
        assertThat(perf.metadata()).containsEntry("owner", "team-a");
        assertThat(perf.stepNumber()).isEqualTo(4);
    }

    @Test
    void performance_afterARetry_attemptIsTwo() {
        AtomicInteger calls = new AtomicInteger();
        Step<Num, Num> flaky = Step.of("flaky", Num.class, Num.class, (in, perf) -> {
            if (calls.incrementAndGet() == 1) {
                throw new java.util.concurrent.TimeoutException("slow backend");
            }
            return new Num(perf.attempt());
        });
        Pipeline p = Pipeline.builder("retry").pipe(flaky).seal();

        PipelineResult<Num> r = p.perform(
                new Num(0),
                o -> o.errorConfig(ErrorHandlingConfig.builder()
                        .baseDelay(Duration.ofMillis(1))
                        .maxDelay(Duration.ofMillis(2))
                        .build()));

        assertThat(r.output()).isEqualTo(new Num(2));
        assertThat(r.performance().history())
                .extracting(Performance.Entry::attempt)
                .containsExactly(1, 2);
        assertThat(r.performance().history().getFirst().error()).isPresent();
    }

    // ---- one way in

    @Test
    void compile_runsThroughOrchestraRunLikeAHandWrittenTopology() {
        Pipeline p = branched();

        OrchestraResult r = Orchestra.run(
                Map.of("value", 8), p.compile().topology(), p.compile().options());

        assertThat(r.finalResponse()).isEqualTo(new Num(26));
        assertThat(p.score().topology().toMermaid()).contains("fork#2");
        assertThat(p.score().blocks()).extracting(Score.Block::type).containsExactly("serial", "fork");
    }

    @Test
    void performAsync_completes() throws Exception {
        Pipeline p = Pipeline.builder("a").pipe(add("add_one", 1)).seal();

        PipelineResult<Num> r = p.<Num>performAsync(new Num(1)).get(10, TimeUnit.SECONDS);

        assertThat(r.output()).isEqualTo(new Num(2));
    }

    @Test
    void toJson_fromJson_roundTripsThroughACatalog() {
        Step<Num, Num> addFive = add("add_five", 5);
        Step<Num, Num> doubler = times("double", 2);
        Step<Num, Num> addOne = add("add_one", 1);
        Pipeline p = Pipeline.builder("named")
                .description("named gates")
                .pipe(addFive)
                .fork(
                        Route.when("high", (Num d) -> d.value() > 10, doubler),
                        Route.when("low", (Num d) -> d.value() <= 10, addOne))
                .cycle("below100", (Num d) -> d.value() < 100, doubler)
                .maxCycles(10)
                .seal();
        PipelineCatalog catalog = PipelineCatalog.create()
                .step(addFive, doubler, addOne)
                .gate("high", (Num d) -> d.value() > 10)
                .gate("low", (Num d) -> d.value() <= 10)
                .gate("below100", (Num d) -> d.value() < 100);

        Pipeline back = Pipeline.fromJson(p.toJson(), catalog);

        assertThat(back.toJson()).isEqualTo(p.toJson());
        assertThat((Num) run(back, new Num(8))).isEqualTo(new Num(104));
        assertThatThrownBy(() ->
                        Pipeline.fromJson(p.toJson(), PipelineCatalog.create().step(addFive)))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("unknown step 'double'")
                .hasMessageContaining("unknown gate 'high'");
        assertThatThrownBy(() -> branched().toJson()).hasMessageContaining("has no name");
    }

    @Test
    void fromJson_malformedDefinitions_areProblemsNamingTheField_neverRawExceptions() {
        PipelineCatalog catalog =
                PipelineCatalog.create().step(add("add_five", 5)).gate("below100", (Num d) -> d.value() < 100);

        assertThatThrownBy(() -> Pipeline.fromJson(
                        "{\"id\":\"p\",\"blocks\":[7,{\"type\":\"ensemble\",\"steps\":\"add_five\"},"
                                + "{\"type\":\"fork\",\"routes\":[\"x\"]},{\"type\":\"cycle\",\"step\":\"add_five\","
                                + "\"gate\":\"below100\",\"max_cycles\":\"ten\",\"on_max_cycles\":\"explode\"},"
                                + "{\"type\":\"cycle\",\"step\":\"add_five\",\"gate\":\"below100\",\"max_cycles\":0}]}",
                        catalog))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("blocks[0] must be an object, was 7")
                .hasMessageContaining("blocks[1].steps must be a list")
                .hasMessageContaining("blocks[2].routes[0] must be an object")
                .hasMessageContaining("blocks[3].max_cycles must be a whole number, was ten")
                .hasMessageContaining("blocks[3].on_max_cycles must be one of")
                .hasMessageContaining("blocks[4].max_cycles must be at least 1, was 0");
        assertThatThrownBy(() -> Pipeline.fromJson("{\"blocks\":[]}", catalog))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("id is required");
        assertThatThrownBy(() -> Pipeline.fromJson("null", catalog))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("not an object");
        assertThatThrownBy(() -> Pipeline.fromJson("{\"id\":\"p\",\"id\":\"q\",\"blocks\":[]}", catalog))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("Duplicate field 'id'");
    }

    @Test
    void perform_listOfSteps_inputAsRecordOrMap() {
        assertThat(List.of(Pipeline.task(new Num(1)), Pipeline.task(Map.of("value", 1))))
                .containsOnly(Map.of("value", 1));
    }

    @Test
    void stepTimeoutAndRetry_fromTheStepBuilder_reachTheEngine() {
        AtomicInteger attempts = new AtomicInteger();
        Step<Num, Num> slow = Step.builder("slow", Num.class, Num.class, (in, perf) -> {
                    if (attempts.incrementAndGet() == 1) {
                        new CountDownLatch(1).await(); // blocks until the step timeout interrupts it
                    }
                    return new Num(perf.attempt());
                })
                .timeout(Duration.ofMillis(200))
                .retry(1)
                .build();

        PipelineResult<Num> r = Pipeline.builder("t")
                .pipe(slow)
                .seal()
                .perform(
                        new Num(0),
                        o -> o.errorConfig(ErrorHandlingConfig.builder()
                                .maxRetries(0)
                                .baseDelay(Duration.ofNanos(1))
                                .build()));

        assertThat(r.output()).isEqualTo(new Num(2));
        assertThat(r.performance().history().getFirst().error())
                .hasValueSatisfying(e -> assertThat(e).contains("timed out after PT0.2S"));
    }
}

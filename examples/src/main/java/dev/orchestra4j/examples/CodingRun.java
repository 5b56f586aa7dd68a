package dev.orchestra4j.examples;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A Symphony-style implementation run: an issue goes in, a reviewed change with proof of work comes out. The
 * {@code Planner} writes a plan; the {@code Implementer} produces a patch; the {@code Tester} really runs the test
 * suite against it and labels the result {@code pass} or {@code fail}; a failing patch goes back to the Implementer
 * with the failures, a passing one goes to the {@code Reviewer}, who lands it with a walkthrough.
 *
 * <pre>
 * Start -> Planner -> Implementer -> Tester
 * Tester -> Reviewer [when pass]
 * Tester -> Implementer [when fail]
 * Reviewer -> End
 * max_steps(16)
 * </pre>
 *
 * <p>The fix-and-retest loop is bounded by the topology's {@code max_steps(16)} rule: an Implementer that never gets
 * the tests green stops the run with an error naming the limit, not an endless loop (and nothing is landed).
 */
public final class CodingRun {

    public static final String SAMPLE_ISSUE = "FIZZ-1: add fizzBuzz(n): Fizz for multiples of 3, Buzz for multiples"
            + " of 5, FizzBuzz for both, else the number";

    /** One patch: what changed, and the code (a function) the tests run. */
    public record Patch(int revision, String summary, IntFunction<String> fizzBuzz) {}

    /** The Tester's proof of work for one patch. */
    public record TestReport(Patch patch, int passed, List<String> failures) {
        public TestReport {
            failures = List.copyOf(failures);
        }

        public boolean green() {
            return failures.isEmpty();
        }
    }

    /** The patches an Implementer produces, in order: two buggy ones, then a correct one. */
    public static final List<Patch> PATCHES = List.of(
            new Patch(
                    1,
                    "first cut: check 3, then 5",
                    n -> n % 3 == 0 ? "Fizz" : n % 5 == 0 ? "Buzz" : String.valueOf(n)),
            new Patch(
                    2,
                    "check 15 first",
                    n -> n % 15 == 0 ? "Fizzbuzz" : n % 3 == 0 ? "Fizz" : n % 5 == 0 ? "Buzz" : String.valueOf(n)),
            new Patch(
                    3,
                    "fix the casing of FizzBuzz",
                    n -> n % 15 == 0 ? "FizzBuzz" : n % 3 == 0 ? "Fizz" : n % 5 == 0 ? "Buzz" : String.valueOf(n)));

    /** The hermetic test suite: input and expected output. */
    static final Map<Integer, String> SUITE =
            Map.of(1, "1", 3, "Fizz", 5, "Buzz", 7, "7", 15, "FizzBuzz", 30, "FizzBuzz");

    private CodingRun() {}

    public static Topology topology() {
        return Topology.builder()
                .edge("Start -> Planner")
                .edge("Planner -> Implementer")
                .edge("Implementer -> Tester")
                .edge("Tester -> Reviewer [when pass]")
                .edge("Tester -> Implementer [when fail]")
                .edge("Reviewer -> End")
                .rule("max_steps(16)")
                .build();
    }

    /** The team; the Implementer produces {@code patches} in order (repeating the last one if asked for more). */
    public static AgentRegistry agents(List<Patch> patches) {
        return AgentRegistry.create()
                .register(
                        "Planner",
                        request -> AgentResponse.handOff(
                                "Implementer",
                                "Plan for " + request.task() + ":\n1. write fizzBuzz(n)\n2. run the suite "
                                        + new java.util.TreeMap<>(SUITE).keySet()
                                        + "\n3. hand green patches to review"))
                .register("Implementer", request -> AgentResponse.reply(nextPatch(request, patches)))
                .register("Tester", request -> {
                    TestReport report = test((Patch) request.input());
                    return AgentResponse.reply(report).label(report.green() ? "pass" : "fail");
                })
                .register("Reviewer", CodingRun::review);
    }

    public static OrchestraResult run(String issue, List<Patch> patches, RunOptions.Builder options) {
        return Orchestra.run(issue, topology(), options.agents(agents(patches)).build());
    }

    /** Runs the suite against a patch; every case is executed, failures are collected. */
    static TestReport test(Patch patch) {
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Integer, String> test : new java.util.TreeMap<>(SUITE).entrySet()) {
            String actual = patch.fizzBuzz().apply(test.getKey());
            if (actual.equals(test.getValue())) {
                passed++;
            } else {
                failures.add("fizzBuzz(" + test.getKey() + ") expected " + test.getValue() + " but was " + actual);
            }
        }
        return new TestReport(patch, passed, failures);
    }

    private static Patch nextPatch(AgentRequest request, List<Patch> patches) {
        int next = request.input() instanceof TestReport failed ? patches.indexOf(failed.patch()) + 1 : 0;
        return patches.get(Math.min(next, patches.size() - 1));
    }

    private static AgentResponse review(AgentRequest request) {
        TestReport report = (TestReport) request.input();
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put(
                "Change",
                "revision " + report.patch().revision() + ": " + report.patch().summary());
        sections.put("Proof of work", report.passed() + "/" + SUITE.size() + " tests passed");
        Map<String, Object> walkthrough = new LinkedHashMap<>();
        walkthrough.put("title", "Landed: " + request.task());
        walkthrough.put("summary", "Approved after " + report.patch().revision() + " revision(s); the suite is green.");
        walkthrough.put("sections", sections);
        return AgentResponse.finish(walkthrough);
    }
}

package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A session state changed by hand, one kind of change at a time, for the journal tests: every field a branch, a
 * barrier, a question or the session carries changes in at least one step. Fixed instants, so encodings compare.
 */
final class JournalScenario {

    static final String SESSION = "journal-scenario";
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private JournalScenario() {}

    /** The state a leg starts from: a root barrier and one READY branch at 'A' that the root expects. */
    static SessionState start() {
        SessionState st = new SessionState(T0);
        Barrier root = new Barrier(st.newBarrierId("r"), BarrierKind.ROOT, "End", null, policy(), T0);
        st.barriers.put(root.id, root);
        st.rootBarrier = root.id;
        Branch b1 = branch(st, "A", Map.of("state", "x"), new BranchState.Ready());
        st.candidates.add(b1.id, root.id);
        st.context.put("task", "go");
        return st;
    }

    /** The changes made between two commits, in order; each names what it changes. */
    static List<Step> steps() {
        return List.of(
                new Step(
                        "b1 runs A and hands off to B (node, from, input, agents, trace, memory, turns, counters)",
                        st -> {
                            Branch b1 = st.branch("b1");
                            b1.steps++;
                            st.steps++;
                            b1.move(new BranchState.Running(1), "a step started");
                            st.invocations.merge("A", 1, Integer::sum);
                            b1.writableMemory().put("A", messages("hello", "hi"));
                            b1.writableTurns().merge("A->B", 1, Integer::sum);
                            st.trace.add(trace(0, "b1", "A"));
                            b1.addTraceIndex(0);
                            b1.from = "A";
                            b1.node = "B";
                            b1.input = Map.of("state", "y", "n", 1);
                            b1.agents.add("B");
                            b1.move(new BranchState.Ready(), "it handed off");
                            st.inputTokens += 10;
                            st.busyNanos += 1_000;
                        }),
                new Step("b1 fails at B and waits for a retry (attempt, steering, error, RetryAt)", st -> {
                    Branch b1 = st.branch("b1");
                    b1.move(new BranchState.Running(2), "a step started");
                    b1.attempt++;
                    b1.steering++;
                    b1.error = new ErrorContext(ErrorCategory.TIMEOUT, "slow", "B", "b1", 1, "in");
                    b1.move(new BranchState.RetryAt(T0.toEpochMilli() + 500), "it will retry");
                    st.retries++;
                    st.timeouts++;
                }),
                new Step("b1 forks two children at B (barrier, candidates, lineage, queued child, slots)", st -> {
                    Branch b1 = st.branch("b1");
                    b1.move(new BranchState.Ready(), "its backoff ended");
                    b1.move(new BranchState.Running(3), "a step started");
                    b1.error = null;
                    b1.attempt = 1;
                    b1.steering = 0;
                    Barrier fork = new Barrier(st.newBarrierId("f"), BarrierKind.FORK, "B", "b1", policy(), T0);
                    st.barriers.put(fork.id, fork);
                    b1.move(new BranchState.Joining(fork.id), "it forked");
                    Branch c1 = branch(st, "C", "c-in", new BranchState.Ready());
                    Branch c2 = branch(st, "D", "d-in", new BranchState.Queued());
                    c2.materialized = false;
                    fork.expectChildren(2);
                    for (Branch child : List.of(c1, c2)) {
                        child.inherit(b1, fork.id);
                        st.candidates.add(child.id, fork.id);
                        fork.slots.put(child.id, fork.slots.size());
                    }
                    st.openRendezvous.put("E", "x9");
                }),
                new Step("c1 asks the user; c2 is admitted (question, Asking, materialized)", st -> {
                    Branch c1 = st.branch("b2");
                    c1.move(new BranchState.Running(1), "a step started");
                    String id = "q" + (++st.nextInteraction);
                    st.questions.put(
                            id,
                            new SessionState.PendingQuestion(
                                    new UserQuestion(
                                            id,
                                            SESSION,
                                            c1.id,
                                            "C",
                                            "which?",
                                            UserQuestion.Kind.QUESTION,
                                            List.of("a", "b"),
                                            T0),
                                    T0.toEpochMilli() + 60_000));
                    c1.move(new BranchState.Asking(id, null), "asked the user");
                    Branch c2 = st.branch("b3");
                    c2.materialized = true;
                    c2.move(new BranchState.Ready(), "admitted");
                }),
                new Step("c1 is answered and finishes; c2 fails (output, delivered, endedAt, arrivals, failed)", st -> {
                    Branch c1 = st.branch("b2");
                    st.questions.remove("q1");
                    c1.input = "a";
                    c1.from = "user";
                    c1.move(new BranchState.Ready(), "answered");
                    c1.move(new BranchState.Running(2), "a step started");
                    c1.writableMemory().put("C", messages("which?", "a"));
                    c1.output = Map.of("picked", "a");
                    c1.delivered = true;
                    c1.endedAt = T0.plusSeconds(5);
                    c1.move(new BranchState.Settled(BranchStatus.COMPLETED, null), "it ended");
                    Barrier fork = st.barrier("f2");
                    st.candidates.remove(c1.id, fork.id);
                    fork.arrive(new Arrival("C", c1.id, Map.of("picked", "a")));
                    Branch c2 = st.branch("b3");
                    c2.endedAt = T0.plusSeconds(6);
                    c2.move(new BranchState.Settled(BranchStatus.FAILED, "boom"), "it ended");
                    st.candidates.remove(c2.id, fork.id);
                    fork.fail(c2.id, "boom");
                    st.openRendezvous.clear();
                }),
                new Step("the fork fires; b1 goes on with the arrivals, a settled child is dropped", st -> {
                    Barrier fork = st.barrier("f2");
                    fork.stragglers = 1;
                    fork.move(Barrier.State.FIRED, "it fired");
                    Branch b1 = st.branch("b1");
                    b1.input = List.copyOf(fork.arrivals);
                    b1.from = null;
                    b1.move(new BranchState.Ready(), "its fork fired");
                    b1.writableLineage().add("f2");
                    b1.target = st.rootBarrier;
                    st.branches.remove("b3");
                    st.candidates.removeBranch("b3");
                }),
                new Step("b1 finishes the run (root arrival, final responses, checkpoint, follow-up context)", st -> {
                    Branch b1 = st.branch("b1");
                    b1.move(new BranchState.Running(4), "a step started");
                    b1.output = "done";
                    b1.endedAt = T0.plusSeconds(9);
                    b1.delivered = true;
                    b1.move(new BranchState.Settled(BranchStatus.COMPLETED, null), "it ended");
                    Barrier root = st.root();
                    st.candidates.remove(b1.id, root.id);
                    root.arrive(new Arrival("B", b1.id, "done"));
                    root.move(Barrier.State.FIRED, "every branch settled");
                    st.finalResponses.add("done");
                    st.checkpointIds.add("cp-1");
                    st.followUps++;
                    st.context.put("previous_result", "done");
                    st.outputTokens += 7;
                    st.elapsedNanosBefore += 42;
                }));
    }

    /** One commit's worth of changes. */
    record Step(String what, Consumer<SessionState> change) {}

    private static Branch branch(SessionState st, String node, Object input, BranchState initial) {
        String id = st.newBranchId();
        Branch b = new Branch(id, null, BarrierKind.ROOT, st.rootBarrier, node, input, null, T0, initial);
        st.branches.put(id, b);
        return b;
    }

    private static ConvergencePolicy policy() {
        return new ConvergencePolicy(1.0, ConvergencePolicy.OnInsufficient.FAIL, false);
    }

    private static List<ChatMessage> messages(String user, String ai) {
        return new ArrayList<>(List.of(UserMessage.from(user), AiMessage.from(ai)));
    }

    private static TraceStep trace(int index, String branch, String agent) {
        return TraceStep.builder()
                .index(index)
                .branchId(branch)
                .agent(agent)
                .input("in")
                .action(TraceStep.Action.INVOKE)
                .targets(List.of("B"))
                .output("out")
                .start(T0)
                .duration(Duration.ofMillis(3))
                .attempt(1)
                .error(java.util.Optional.empty())
                .toolCalls(List.of())
                .inputTokens(10)
                .outputTokens(0)
                .build();
    }
}

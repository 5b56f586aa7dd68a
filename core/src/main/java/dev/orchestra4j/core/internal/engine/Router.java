package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.topology.Edge;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a step's response into what happens next (SPEC §4.2): a hand-off, a fork, a delivery, a question, or a
 * routing decision by edges. A response the topology does not permit is a steerable validation failure, decided
 * before the step's memory is kept.
 */
final class Router {

    private final Machine m;
    private final SessionState st;

    Router(Machine machine) {
        this.m = machine;
        this.st = machine.state;
    }

    void apply(Branch b, StepOutcome o, AgentResponse response) {
        AgentResponse resolved =
                response instanceof AgentResponse.Reply reply ? route(b, reply, o.verdicts()) : response;
        resolved = resolved == null ? null : DispatchRules.widen(m.plan.analysis, b.node, resolved);
        String problem = resolved == null ? unroutable(b, (AgentResponse.Reply) response) : validate(b, resolved);
        if (problem != null) {
            m.failures.stepFailed(b, o, dev.orchestra4j.core.ErrorCategory.VALIDATION, problem, true);
            return;
        }
        if (resolved instanceof AgentResponse.Fail fail) {
            m.failures.stepFailed(b, o, fail.category(), fail.reason(), false); // a failed step keeps no memory
            return;
        }
        if (!o.memory().isEmpty() || b.memory.containsKey(b.node)) { // an agent without memory keeps no entry
            b.writableMemory().put(b.node, o.memory());
        }
        b.steering = 0;
        b.error = null;
        boolean routed = response instanceof AgentResponse.Reply; // the edges decided: traced as REPLY
        switch (resolved) {
            case AgentResponse.Invoke invoke -> {
                m.stepping.recordStep(
                        b,
                        o,
                        routed ? TraceStep.Action.REPLY : TraceStep.Action.INVOKE,
                        m.plan.alone(invoke.agent()),
                        invoke.request());
                handOff(b, invoke.agent(), invoke.request());
            }
            case AgentResponse.Parallel parallel -> {
                List<String> targets =
                        parallel.invocations().stream().map(Invocation::agent).toList();
                m.stepping.recordStep(
                        b,
                        o,
                        routed ? TraceStep.Action.REPLY : TraceStep.Action.PARALLEL,
                        targets,
                        parallel.invocations());
                fork(b, parallel.invocations());
            }
            case AgentResponse.Finish finish -> {
                st.addResultMetadata(finish.metadata());
                Barrier target = st.barrier(b.target);
                m.stepping.recordStep(
                        b,
                        o,
                        routed ? TraceStep.Action.REPLY : TraceStep.Action.FINISH,
                        m.plan.alone(target.node),
                        finish.answer());
                // a fork child returns to its parent; at top level, the run ends
                m.convergence.deliver(b, target, finish.answer());
                m.settlement.settle(b, BranchStatus.COMPLETED, null);
            }
            case AgentResponse.AskUser ask -> {
                m.stepping.recordStep(b, o, TraceStep.Action.ASK_USER, m.plan.alone(Plan.USER), ask.question());
                m.users.ask(b, ask.question(), dev.orchestra4j.core.user.UserQuestion.Kind.QUESTION, List.of());
            }
            case AgentResponse.Reply reply -> throw new IllegalStateException("reply was routed already: " + reply);
            case AgentResponse.Fail fail -> throw new IllegalStateException("a failure was handled above: " + fail);
        }
        b.attempt = 1;
    }

    /** Validates a coordination decision against the topology; returns the problem or null. */
    private @Nullable String validate(Branch b, AgentResponse response) {
        return switch (response) {
            case AgentResponse.Invoke invoke -> checkTarget(b, invoke.agent());
            case AgentResponse.Parallel parallel ->
                DispatchRules.checkFork(m.plan.analysis, b.node, parallel.invocations(), t -> checkTarget(b, t));
            case AgentResponse.Finish finish ->
                st.barrier(b.target).kind == BarrierKind.ROOT && !b.info(m.plan).canFinish()
                        ? "agent '" + b.node + "' cannot finish the run: it has no edge to End (it may invoke "
                                + m.plan.analysis.successors(b.node) + ")"
                        : null;
            case AgentResponse.AskUser ask ->
                b.info(m.plan).canAskUser()
                        ? null
                        : "agent '" + b.node + "' cannot ask the user: it has no edge to User";
            case AgentResponse.Reply reply -> null;
            case AgentResponse.Fail fail -> null;
        };
    }

    private @Nullable String checkTarget(Branch b, String target) {
        Plan.NodeInfo info = b.info(m.plan);
        if (!info.targets().contains(target)) {
            return "agent '" + b.node + "' cannot invoke '" + target + "': allowed targets are "
                    + m.plan.analysis.successors(b.node);
        }
        Integer max = info.turnLimits().get(target);
        if (max != null && b.turns.getOrDefault(pair(b.node, target), 0) >= max) {
            return "max_turns (" + max + ") between '" + b.node + "' and '" + target + "' reached on " + b.id
                    + "; the conversation must end (finish or another route)";
        }
        return null;
    }

    /** Counts a traversal of an edge that has a {@code max_turns} limit (others cost nothing). */
    private void countTurn(Branch b, String target) {
        if (b.info(m.plan).turnLimits().containsKey(target)) {
            b.writableTurns().merge(pair(b.node, target), 1, Integer::sum);
        }
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "\u0000" + b : b + "\u0000" + a;
    }

    /** The coordination a reply resolves to through the node's edges, or null when no edge holds. */
    private @Nullable AgentResponse route(Branch b, AgentResponse.Reply reply, Map<String, Boolean> verdicts) {
        Set<String> targets = new LinkedHashSet<>();
        for (Edge edge : m.plan.analysis.outgoing(b.node)) {
            if (edge.condition().isEmpty() || holds(edge.condition().get(), reply, verdicts)) {
                targets.add(edge.target());
            }
        }
        if (targets.stream().anyMatch(m.plan::isAgent)) {
            // a reply continues the work where an agent edge holds; End (finish) and User (a question) are reached
            // only when no agent edge holds, so 'X -> User' plus other edges never becomes a fork with User (D18)
            targets.removeIf(t -> !m.plan.isAgent(t));
        } else if (targets.size() > 1) {
            targets.remove(Plan.USER);
        }
        if (targets.isEmpty()) {
            return null;
        }
        if (targets.size() == 1) {
            String target = targets.iterator().next();
            return target.equals(Plan.END)
                    ? AgentResponse.finish(reply.content())
                    : AgentResponse.handOff(target, reply.content());
        }
        List<Invocation> invocations = new ArrayList<>();
        targets.forEach(t -> invocations.add(Invocation.of(t, reply.content())));
        return AgentResponse.parallel(invocations);
    }

    private String unroutable(Branch b, AgentResponse.Reply reply) {
        return "no edge out of '" + b.node + "' holds for this reply (label "
                + reply.label().map(l -> "'" + l + "'").orElse("none") + "); edges: "
                + m.plan.analysis.outgoing(b.node).stream()
                        .map(e -> e.source() + " -> " + e.target()
                                + e.condition()
                                        .map(cond -> " [when " + cond + "]")
                                        .orElse(""))
                        .toList();
    }

    private boolean holds(String condition, AgentResponse.Reply reply, Map<String, Boolean> verdicts) {
        Boolean verdict = verdicts.get(condition); // a registered predicate's, taken where the step ran; else the label
        if (verdict != null) {
            return verdict;
        }
        if (reply.label().isPresent()) {
            return reply.label().get().equals(condition);
        }
        if (reply.content() instanceof Map<?, ?> map) {
            return condition.equals(String.valueOf(map.get("label")))
                    || condition.equals(String.valueOf(map.get("status")));
        }
        return false;
    }

    /** Hand-off (SPEC §4.2): deliver where the lineage waits, to End, to a rendezvous, or move the branch. */
    void handOff(Branch b, String target, Object request) {
        countTurn(b, target);
        if (target.equals(Plan.END)) {
            m.convergence.deliver(b, st.root(), request);
            m.settlement.settle(b, BranchStatus.COMPLETED, null);
            return;
        }
        if (target.equals(Plan.USER)) {
            m.users.ask(
                    b,
                    request instanceof String text ? text : dev.orchestra4j.core.internal.Json.write(request),
                    dev.orchestra4j.core.user.UserQuestion.Kind.QUESTION,
                    List.of());
            return;
        }
        Barrier waiting = lineageForkAt(b, target);
        Plan.NodeInfo next = waiting == null ? m.plan.node(target) : null;
        if (next != null && next.rendezvous()) {
            waiting = m.convergence.rendezvousAt(target);
        }
        if (waiting != null && !b.id.equals(waiting.resolver)) {
            m.convergence.deliver(b, waiting, request);
            m.settlement.settle(b, BranchStatus.COMPLETED, null);
            return;
        }
        move(b, target, request, next);
    }

    private @Nullable Barrier lineageForkAt(Branch b, String node) {
        List<String> lineage = b.lineage;
        for (int i = 0, n = lineage.size(); i < n; i++) { // indexed: no iterator per move
            Barrier fork = st.barrier(lineage.get(i));
            if (fork.isOpen() && fork.node.equals(node)) {
                return fork;
            }
        }
        return null;
    }

    /** Moves the branch to {@code target} without a hand-off check (error routes). */
    void moveTo(Branch b, String target, Object request) {
        move(b, target, request, null);
    }

    /** {@code next} is {@code target}'s plan entry when the caller has it already (one lookup per hand-off). */
    private void move(Branch b, String target, Object request, Plan.@Nullable NodeInfo next) {
        b.from = b.node;
        if (next != null) {
            b.at(m.plan, next);
        } else {
            b.node = target;
        }
        b.input = request;
        b.agents.add(b.node);
        m.convergence.register(b);
        m.queue.makeRunnable(b, "it moved to another node"); // not built per step: only an illegal move reads it
    }

    /** Fork (SPEC §4.2): one child per invocation, delivering to a new FORK barrier the branch waits on. */
    void fork(Branch b, List<Invocation> invocations) {
        Barrier fork = m.convergence.openFork(b);
        fork.expectChildren(invocations.size());
        st.candidates.expect(fork.id, invocations.size());
        int slot = 0;
        Plan.NodeInfo info = null; // a fork's invocations name the same agent over and over: looked up once per run
        for (Invocation invocation : invocations) {
            countTurn(b, invocation.agent());
            if (invocation.agent().equals(Plan.END)) {
                Barrier root = st.root();
                root.arrive(new dev.orchestra4j.core.Arrival(b.node, b.id, invocation.request()));
                st.candidates.remove(b.id, root.id);
                m.gates.markDirty(root.id);
                continue;
            }
            info = info != null && info.name().equals(invocation.agent()) ? info : m.plan.node(invocation.agent());
            if (info.rendezvous()) {
                m.convergence.dispatchInto(
                        fork, b, m.convergence.rendezvousAt(invocation.agent()), invocation.request());
                continue;
            }
            Branch child =
                    m.queue.spawn(b.id, BarrierKind.FORK, fork.id, invocation.agent(), invocation.request(), b.node);
            child.at(m.plan, info); // its plan entry is known: no second lookup per child
            child.inherit(b, fork.id);
            st.candidates.add(child.id, fork.id);
            fork.slots.put(child.id, slot++);
            m.convergence.registerChild(child, info);
        }
        m.gates.markDirty(fork.id);
    }
}

package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.internal.engine.Session;
import dev.orchestra4j.core.internal.engine.SimulationBridge;
import dev.orchestra4j.core.user.UserQuestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Answers and resumes sent to a process while its {@code recoverSession} watches another owner's lease (README,
 * "One owner per session": of concurrent {@code respond}, {@code resumeSession} and {@code recoverSession} calls in one
 * process one proceeds, answers reaching a leg as it starts or suspends go on to that leg, the others get a {@link
 * SessionException}). What the engine promises for each, and what is checked:
 *
 * <ul>
 *   <li>a resume finds the session held by the recovery and is refused at once with a SessionException naming it;
 *   <li>an answer waits for the recovery (without keeping the simulated world busy: the case must still come to rest
 *       while it waits). When the recovery takes the session over, the answer reaches the leg it starts: at the next
 *       rest its question is no longer pending there (or the leg's driver is inside an agent call with the answer in
 *       its mailbox), and that process answers the question at most once over the whole case. When the recovery is
 *       refused, the answer is refused too (a SessionException naming the session: storage says another process runs
 *       it), and is applied nowhere: the owner answers no question during the watch, and the answer never reaches
 *       storage.
 * </ul>
 */
final class WatchCalls {

    /** One call sent during a watch, and how it ended (under the world's lock). */
    static final class Call {
        final Incarnation to;
        final @Nullable String interactionId;
        final String answer;
        boolean ended;

        @Nullable
        OrchestraResult result;

        @Nullable
        Throwable error;
        /** Whether the recovery it raced took the session over. */
        boolean tookOver;
        /** The process watching the lease, when the call went to the owner instead. */
        @Nullable
        Incarnation watcher;

        Call(Incarnation to, @Nullable String interactionId, String answer) {
            this.to = to;
            this.interactionId = interactionId;
            this.answer = answer;
        }

        boolean isAnswer() {
            return interactionId != null;
        }
    }

    private final Simulation sim;
    private final List<Call> calls = new ArrayList<>();

    WatchCalls(Simulation sim) {
        this.sim = sim;
    }

    /** Whether {@code owner}'s copy of the session holds a pending question. */
    boolean asks(Incarnation owner) {
        Session copy = SimulationBridge.session(owner.instance, sim.sessionId);
        return copy != null && !SimulationBridge.questions(copy).isEmpty();
    }

    /**
     * Sends an answer to the running owner while {@code rival} watches its lease: the owner's leg takes it (the owner
     * owns the session), the watching process never applies it.
     */
    Call sendToOwner(Incarnation owner, Incarnation rival) {
        Session copy = SimulationBridge.session(owner.instance, sim.sessionId);
        List<UserQuestion> questions = SimulationBridge.questions(copy);
        UserQuestion q = questions.get(sim.random.nextInt(questions.size()));
        String answer = q.kind() == UserQuestion.Kind.ERROR_DECISION ? "retry" : "owner-answer-" + sim.actions;
        Call call = new Call(owner, q.interactionId(), answer);
        call.watcher = rival;
        sim.trail("  during the watch: respond " + q.interactionId() + " '" + answer + "' in the owner, process "
                + owner.number);
        sim.stats.add("answers sent to the owner during a lease watch");
        calls.add(call);
        sim.w.helper("owner-call", () -> {
            try {
                SimulationBridge.known(owner.instance, sim.sessionId)
                        .respond(call.interactionId, call.answer)
                        .whenComplete((r, e) -> ended(call, r, World.unwrap(e)));
            } catch (RuntimeException | Error e) {
                ended(call, null, e);
            }
        });
        return call;
    }

    /** Sends an answer (when the watching copy holds a question) or else a resume to {@code rival}, on a helper. */
    Call send(Incarnation rival) {
        Session copy = SimulationBridge.session(rival.instance, sim.sessionId);
        List<UserQuestion> questions = copy == null ? List.of() : SimulationBridge.questions(copy);
        Call call;
        if (!questions.isEmpty()) {
            UserQuestion q = questions.get(sim.random.nextInt(questions.size()));
            String answer = q.kind() == UserQuestion.Kind.ERROR_DECISION
                    ? "retry"
                    : "watch-answer-" + sim.actions + "-" + calls.size();
            call = new Call(rival, q.interactionId(), answer);
            sim.trail("  during the watch: respond " + q.interactionId() + " '" + answer + "' in process "
                    + rival.number);
            sim.stats.add("answers sent during a lease watch");
        } else {
            call = new Call(rival, null, "");
            sim.trail("  during the watch: resume in process " + rival.number);
            sim.stats.add("resumes sent during a lease watch");
        }
        calls.add(call);
        sim.w.helper("watch-call", () -> {
            try {
                Session session = SimulationBridge.known(rival.instance, sim.sessionId);
                (call.isAnswer()
                                ? session.respond(call.interactionId, call.answer)
                                : session.resume(Map.of("watch-resume", 1), false))
                        .whenComplete((r, e) -> ended(call, r, World.unwrap(e)));
            } catch (RuntimeException | Error e) {
                ended(call, null, e);
            }
        });
        return call;
    }

    private void ended(Call call, @Nullable OrchestraResult r, @Nullable Throwable e) {
        sim.w.lock.lock();
        try {
            call.ended = true;
            call.result = r;
            call.error = e;
            if (r != null && call.watcher == null) {
                sim.watchCallEnded(call.to, r);
            }
            sim.w.changed.signalAll();
        } finally {
            sim.w.lock.unlock();
        }
    }

    /** The watch has ended (at rest): {@code call} raced a recovery that took over ({@code tookOver}) or was refused. */
    void watchEnded(Call call, Incarnation owner, int ownerEventsBefore, boolean tookOver, boolean storageFailed) {
        call.tookOver = tookOver;
        if (call.watcher != null) {
            ownerAnswered(call, tookOver);
            return;
        }
        if (storageFailed && !tookOver) {
            // the recovery failed on storage (or its process died in a write): the call fails too, or dies with it
            if (answeredIn(owner, call.interactionId, ownerEventsBefore) > 0) {
                throw sim.fail("process " + owner.number + " answered " + call.interactionId + " while process "
                        + call.to.number + " watched its lease; its events since the watch began: "
                        + eventsSince(owner, ownerEventsBefore));
            }
            Throwable e = call.to.dead ? null : ended(call);
            if (e != null && !(e instanceof SessionException) && !StorageFaults.injected(e)) {
                throw sim.fail(
                        "a call sent to a recovery that failed on storage failed unexpectedly: " + describe(call));
            }
            sim.stats.add("calls during a lease watch whose recovery failed on storage");
            return;
        }
        if (!call.isAnswer()) {
            Throwable e = ended(call);
            if (!(e instanceof SessionException)
                    || !String.valueOf(e.getMessage()).contains(sim.sessionId)) {
                throw sim.fail("a resume sent during a lease watch was not refused with an error naming the session: "
                        + describe(call));
            }
            sim.stats.add("resumes during a lease watch refused");
            return;
        }
        if (answeredIn(owner, call.interactionId, ownerEventsBefore) > 0) {
            throw sim.fail("process " + owner.number + " answered " + call.interactionId + " while process "
                    + call.to.number + " watched its lease (only the watching process was sent the answer); its events"
                    + " since the watch began: " + eventsSince(owner, ownerEventsBefore));
        }
        if (!tookOver) {
            Throwable e = ended(call);
            if (!(e instanceof SessionException)
                    || !String.valueOf(e.getMessage()).contains(sim.sessionId)) {
                throw sim.fail("an answer sent to a recovery that was refused was not refused with an error naming"
                        + " the session: " + describe(call));
            }
            sim.stats.add("answers during a lease watch refused with the recovery");
            return;
        }
        if (call.to.dead) {
            return; // it took the session over, then died in a write of its claim: the answer died with it
        }
        Session s = SimulationBridge.session(call.to.instance, sim.sessionId);
        boolean pending = s != null
                && SimulationBridge.questions(s).stream()
                        .anyMatch(q -> q.interactionId().equals(call.interactionId));
        if (pending && !inMailbox(call)) {
            throw sim.fail("an answer sent during the lease watch of process " + call.to.number + ", which then took"
                    + " the session over, was lost: " + call.interactionId + " is still pending and the leg does"
                    + " not hold the answer (" + describe(call) + ")");
        }
        sim.stats.add(
                pending
                        ? "answers during a lease watch waiting in the new leg's mailbox"
                        : "answers during a lease watch taken by the new owner");
    }

    /**
     * An answer sent to the owner during another process's watch: when the watch ends refused (the owner lives), the
     * owner holds it (the question is no longer pending there, or the answer waits in its leg's mailbox), and the
     * watching process never answered it. (When the watch took the session over anyway, the owner's leg is stale: it and
     * the answer end FAILED, checked with every stale leg.)
     */
    private void ownerAnswered(Call call, boolean tookOver) {
        Incarnation watcher = java.util.Objects.requireNonNull(call.watcher);
        if (answeredIn(watcher, call.interactionId, 0) > 0) {
            throw sim.fail("process " + watcher.number + " answered " + call.interactionId + ", an answer sent to the"
                    + " owner, process " + call.to.number + ", while it watched the owner's lease");
        }
        if (tookOver || call.to.dead) {
            sim.stats.add("answers to the owner during a lease watch lost with the owner's leg");
            return;
        }
        Session s = SimulationBridge.session(call.to.instance, sim.sessionId);
        boolean pending = s != null
                && SimulationBridge.questions(s).stream()
                        .anyMatch(q -> q.interactionId().equals(call.interactionId));
        if (pending && !inMailbox(call)) {
            throw sim.fail("an answer sent to the owner, process " + call.to.number + ", during a lease watch was"
                    + " lost: " + call.interactionId + " is still pending there (" + describe(call) + ")");
        }
        sim.stats.add("answers to the owner during a lease watch taken by it");
    }

    /** At the end of the case: no answer applied twice, no refused answer anywhere in storage. */
    void check() {
        String stored = String.valueOf(sim.model.stored());
        for (Call call : calls) {
            if (!call.isAnswer()) {
                continue;
            }
            int answered = answeredIn(call.to, call.interactionId, 0);
            if (answered > 1) {
                throw sim.fail("process " + call.to.number + " answered " + call.interactionId + " " + answered
                        + " times along one timeline (an answer sent during its lease watch)");
            }
            if (!call.tookOver && call.answer.startsWith("watch-answer-") && stored.contains(call.answer)) {
                throw sim.fail("an answer refused with its recovery reached storage: '" + call.answer + "'");
            }
        }
    }

    private Throwable ended(Call call) {
        sim.w.lock.lock();
        try {
            if (!call.ended) {
                throw sim.fail("a call sent during a lease watch had not returned when the watch ended at rest: "
                        + describe(call));
            }
            return call.error;
        } finally {
            sim.w.lock.unlock();
        }
    }

    /** The leg of the watching process holds the answer unread: its driver is inside an agent call meanwhile. */
    private boolean inMailbox(Call call) {
        sim.w.lock.lock();
        try {
            Incarnation.Leg leg = call.to.runningLeg();
            return leg != null
                    && leg.mailbox != null
                    && leg.mailbox.stream().anyMatch(m -> String.valueOf(m).contains(call.interactionId));
        } finally {
            sim.w.lock.unlock();
        }
    }

    /** How often {@code i} answered the question from event {@code from} on: the most along one of its timelines. */
    private static int answeredIn(Incarnation i, @Nullable String interactionId, int from) {
        List<Incarnation.Mark> marks = i.marks();
        synchronized (i.events) {
            int most = 0;
            int n = 0;
            int next = 0;
            for (int e = 0; e < i.events.size(); e++) {
                while (next < marks.size() && marks.get(next).events() <= e) {
                    next++;
                    n = 0; // a reload (recovery, restore) starts a new timeline: a question may be pending again
                }
                if (e >= from
                        && i.events.get(e) instanceof OrchestraEvent.UserAnswered a
                        && a.interactionId().equals(interactionId)) {
                    most = Math.max(most, ++n);
                }
            }
            return most;
        }
    }

    /**
     * What {@code i} published from event {@code from} on, one short entry each (its kind; for an answer, the question,
     * how long it waited and when), to tell an answer given during a watch from one that was published late.
     */
    private static String eventsSince(Incarnation i, int from) {
        synchronized (i.events) {
            List<String> out = new ArrayList<>();
            for (int e = from; e < i.events.size(); e++) {
                OrchestraEvent event = i.events.get(e);
                out.add(e + ":" + event.getClass().getSimpleName()
                        + (event instanceof OrchestraEvent.UserAnswered a
                                ? "(" + a.interactionId() + ", waited " + a.waited() + ", at " + a.timestamp() + ")"
                                : ""));
            }
            return out.isEmpty() ? "none" : String.join(" ", out);
        }
    }

    private String describe(Call call) {
        sim.w.lock.lock();
        try {
            return (call.isAnswer() ? "respond " + call.interactionId : "resume") + " in process " + call.to.number
                    + (call.ended
                            ? " ended "
                                    + (call.error != null
                                            ? call.error.getClass().getSimpleName() + ": " + call.error.getMessage()
                                            : String.valueOf(call.result == null ? null : call.result.status()))
                            : " had not returned");
        } finally {
            sim.w.lock.unlock();
        }
    }
}

package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follow-up rounds (SPEC §4.7): after a successful round the user channel is asked for a follow-up; an answer starts a
 * new round in the same session with {@code context["previous_result"]} set and every agent keeping its memory; no
 * answer within {@code followUpTimeout} ends the session.
 */
final class FollowUps {

    private static final Logger LOG = LoggerFactory.getLogger(FollowUps.class);

    private final boolean enabled;
    private final Duration timeout;
    private final Optional<UserChannel> channel;
    /** Each agent's memory carried into the follow-up round; a shared empty map until a round collects some. */
    private Map<String, List<ChatMessage>> carried = Map.of();

    /** Volatile: a caller's respond() or offerAnswer() reads it to learn whether its answer is for this prompt. */
    private volatile @Nullable String pendingId;

    FollowUps(boolean enabled, Duration timeout, Optional<UserChannel> channel) {
        this.enabled = enabled;
        this.timeout = timeout;
        this.channel = channel;
    }

    /** Asks for a follow-up; returns false when follow-ups are off (the run then completes). */
    boolean offer(Machine m, Lifecycle lifecycle) {
        if (!enabled || channel.isEmpty()) {
            return false;
        }
        String id = m.spec.sessionId() + ":f" + (m.state.followUps + 1);
        UserQuestion question = new UserQuestion(
                id,
                m.spec.sessionId(),
                "",
                "Start",
                "Any follow-up? (answer 'done', or leave empty, to finish)",
                UserQuestion.Kind.FOLLOW_UP,
                List.of(),
                m.now());
        pendingId = id;
        m.timers.add(Deadlines.plus(m.nowMillis(), timeout), Deadlines.Kind.FOLLOW_UP, id);
        UserChannel live = channel.get();
        m.telemetry.effects.perform(
                () -> { // asked once the round's end is committed
                    try {
                        live.ask(question)
                                .whenComplete((answer, error) -> m.post(new Signal.UserAnswer(id, answer, error)));
                    } catch (RuntimeException e) {
                        LOG.warn("user channel {} failed to ask for a follow-up; the session ends", live, e);
                        m.post(new Signal.UserAnswer(id, null, e));
                    }
                });
        return true;
    }

    /** Blank, or a word a terminal user types to finish (a terminal channel cannot send an empty line). */
    private static boolean ends(String answer) {
        String word = answer.strip().toLowerCase(java.util.Locale.ROOT);
        return word.isEmpty() || word.equals("done") || word.equals("quit") || word.equals("exit");
    }

    @Nullable
    String pendingId() {
        return pendingId;
    }

    Map<String, List<ChatMessage>> carried() {
        return carried;
    }

    /** Puts the pending prompt and the carried memory back as a snapshot's {@link MachinePart} says. */
    void restore(@Nullable String pending, Map<String, List<ChatMessage>> memory) {
        pendingId = pending;
        carried = memory.isEmpty() ? Map.of() : new HashMap<>(memory);
    }

    /** Whether the session has completed and only waits for a follow-up. */
    boolean isPending() {
        return pendingId != null;
    }

    boolean owns(String interactionId) {
        return interactionId.equals(pendingId);
    }

    /** The follow-up prompt {@code id} was answered; returns whether it was still pending. */
    boolean answered(Machine m, Lifecycle lifecycle, String id, @Nullable String answer) {
        if (!owns(id)) {
            return false;
        }
        pendingId = null;
        // answered through respond() or offerAnswer(): the channel may still show the prompt
        channel.ifPresent(ch -> m.telemetry.effects.perform(() -> cancel(ch, id)));
        if (answer == null || ends(answer)) {
            lifecycle.stop(m, RunStatus.COMPLETED, null);
            return true;
        }
        m.state.followUps++;
        List<Object> finals = m.state.finalResponses;
        if (!finals.isEmpty()) {
            m.state.context.put("previous_result", finals.getLast());
        }
        collectMemory(m);
        m.telemetry.emit(() -> new dev.orchestra4j.core.event.OrchestraEvent.RunStarted(
                m.spec.sessionId(),
                m.now(),
                null,
                m.plan.topology.digest(),
                m.plan.topology.nodes().size()));
        lifecycle.startRound(m, answer);
        return true;
    }

    void timedOut(Machine m, Lifecycle lifecycle, String id) {
        if (owns(id)) {
            withdraw();
            lifecycle.stop(m, RunStatus.COMPLETED, null);
        }
    }

    /** Takes a pending follow-up prompt back from the channel (timed out, or the session paused). */
    void withdraw() {
        String id = pendingId;
        if (id == null) {
            return;
        }
        pendingId = null;
        channel.ifPresent(ch -> cancel(ch, id));
    }

    private static void cancel(UserChannel channel, String id) {
        try {
            channel.cancel(id);
        } catch (RuntimeException e) {
            LOG.warn("user channel {} failed to cancel follow-up prompt '{}'", channel, id, e);
        }
    }

    /** Each agent keeps the memory of the last branch that ran it. */
    private void collectMemory(Machine m) {
        for (Branch b : m.state.branches.values()) {
            if (!b.memory.isEmpty() && carried.isEmpty()) {
                carried = new HashMap<>();
            }
            b.memory.forEach((agent, messages) -> carried.put(agent, messages));
        }
    }

    void carryMemory(Branch b) {
        carried.forEach((agent, messages) -> b.writableMemory().put(agent, new ArrayList<>(messages)));
    }
}

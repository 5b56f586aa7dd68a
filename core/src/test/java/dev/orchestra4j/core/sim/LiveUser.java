package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/** The live user of one simulated process: it answers a question only when the simulation decides. */
final class LiveUser implements UserChannel {

    /** A question the live channel was asked and not yet answered or withdrawn. */
    record Asked(UserQuestion question, CompletableFuture<String> answer) {}

    private final World w;
    private final BooleanSupplier dead;
    /** Questions asked on the live channel, oldest first (under the lock). */
    final List<Asked> asked = new ArrayList<>();

    LiveUser(World w, BooleanSupplier dead) {
        this.w = w;
        this.dead = dead;
    }

    @Override
    public CompletionStage<String> ask(UserQuestion question) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        w.lock.lock();
        try {
            if (!dead.getAsBoolean()) {
                asked.add(new Asked(question, answer));
            }
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
        return answer;
    }

    @Override
    public void cancel(String interactionId) {
        w.lock.lock();
        try {
            asked.removeIf(a -> a.question().interactionId().equals(interactionId));
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }
}

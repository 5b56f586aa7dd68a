package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The coordinator's mailbox: signals in posting order, and an interrupt of the driving thread as a cancellation. */
final class MailboxTest {

    private final Mailbox mailbox = new Mailbox();

    /**
     * A cancellation posted while the leg was ending (past its last look at the mailbox) is drained with the rest:
     * its caller learns it was not taken and cancels what the leg left (a pause racing a cancel used to leave the
     * session PAUSED after cancelSession returned); one the leg handles is acknowledged as taken.
     */
    @Test
    void close_tellsTheCallerOfACancellationTheLegNeverTook() {
        CompletableFuture<Boolean> late = new CompletableFuture<>();
        CompletableFuture<Boolean> handled = new CompletableFuture<>();
        mailbox.post(new Signal.Cancel("handled", handled));
        Signal.acknowledge(mailbox.poll(), true);
        assertThat(mailbox.offer(new Signal.Cancel("too late", late))).isTrue();

        mailbox.close(checkpoint -> {});

        assertThat(handled).isCompletedWithValue(true);
        assertThat(late).isCompletedWithValue(false);
        assertThat(mailbox.offer(new Signal.Cancel("after close", new CompletableFuture<>())))
                .as("a closed mailbox refuses it: the caller turns to the suspended session")
                .isFalse();
    }

    @Test
    void take_returnsSignalsInPostingOrder_onAVirtualThread() throws InterruptedException {
        Signal first = new Signal.Wake();
        Signal second = new Signal.Cancel("second");
        mailbox.post(first);
        mailbox.post(second);
        List<Signal> taken = new ArrayList<>();
        Thread.ofVirtual()
                .start(() -> {
                    taken.add(mailbox.take(null, "s"));
                    taken.add(mailbox.take(null, "s"));
                })
                .join();
        assertThat(taken).containsExactly(first, second);
        assertThat(mailbox.isEmpty()).isTrue();
    }

    @Test
    void take_blocksUntilAnotherThreadPosts() throws InterruptedException {
        Signal posted = new Signal.Wake();
        AtomicReference<Signal> taken = new AtomicReference<>();
        Thread taker = Thread.ofVirtual().start(() -> taken.set(mailbox.take(null, "s")));
        mailbox.post(posted);
        taker.join();
        assertThat(taken.get()).isSameAs(posted);
    }

    @Test
    void take_onAnInterruptedThread_isACancellation_andKeepsTheFlag_andWhatWasQueued() throws InterruptedException {
        Signal queued = new Signal.Wake();
        mailbox.post(queued);
        AtomicReference<Signal> taken = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread.ofVirtual()
                .start(() -> {
                    Thread.currentThread().interrupt();
                    taken.set(mailbox.take(null, "s"));
                    flagAfter.set(Thread.interrupted());
                })
                .join();
        assertThat(taken.get()).isInstanceOf(Signal.Cancel.class);
        assertThat(flagAfter.get()).isTrue();
        assertThat(mailbox.poll()).isSameAs(queued);
    }

    @Test
    void take_interruptedWhileWaiting_isACancellation() throws InterruptedException {
        AtomicReference<Signal> taken = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread taker = Thread.ofVirtual().unstarted(() -> {
            taken.set(mailbox.take(null, "s"));
            flagAfter.set(Thread.interrupted());
        });
        taker.start();
        taker.interrupt(); // before or while it waits: either way the take ends as a cancellation
        taker.join();
        assertThat(taken.get()).isInstanceOf(Signal.Cancel.class);
        assertThat(flagAfter.get()).isTrue();
    }
}

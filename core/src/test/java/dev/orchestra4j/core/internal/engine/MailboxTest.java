package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The coordinator's mailbox: signals in posting order, and an interrupt of the driving thread as a cancellation. */
final class MailboxTest {

    private final Mailbox mailbox = new Mailbox();

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

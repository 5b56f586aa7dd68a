package dev.orchestra4j.core.user;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks questions on a terminal: prints each question with its agent (and its options, {@code [retry/skip/abort]} for
 * an error decision) and reads answers line by line (SPEC §4.7). {@link #ask} never blocks; one reader thread, a
 * virtual thread started by the first question, gives each line to the <em>oldest</em> pending question and says which
 * question the next line will answer when several wait. Blank lines are ignored; for a question with options, a line
 * naming none of them is refused and the question keeps waiting.
 *
 * <p>At the end of input the reader stops and completes nothing: pending questions are left to the engine's
 * {@code userInteractionTimeout}. {@link #close} cancels the pending questions and stops reading; a reader blocked in
 * a read wakes up only with the next line or the end of input, which it then discards. The streams are not closed.
 */
public final class TerminalUserChannel implements UserChannel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TerminalUserChannel.class);

    private final BufferedReader input;
    private final PrintStream out;
    private final ConcurrentLinkedDeque<Pending> pending = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean readerStarted = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean inputEnded;
    private volatile @Nullable Thread reader;

    private record Pending(UserQuestion question, CompletableFuture<String> answer) {}

    /** Reads {@code System.in} and writes {@code System.out}. */
    public TerminalUserChannel() {
        this(System.in, System.out);
    }

    /** Reads answers from {@code in} (in the platform charset) and writes questions to {@code out}. */
    public TerminalUserChannel(InputStream in, PrintStream out) {
        this.input = new BufferedReader(new InputStreamReader(requireNonNull(in, "in"), Charset.defaultCharset()));
        this.out = requireNonNull(out, "out");
    }

    @Override
    public CompletionStage<String> ask(UserQuestion question) {
        requireNonNull(question, "question");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the terminal channel is closed"));
        }
        Pending entry = new Pending(question, new CompletableFuture<>());
        pending.addLast(entry);
        if (closed && pending.remove(entry)) { // close() ran meanwhile and may have missed it
            entry.answer().cancel(false);
            return entry.answer();
        }
        out.println(TerminalText.question(question));
        if (inputEnded) {
            out.println("  (input has ended; this question cannot be answered here)");
        } else {
            announceNext(2);
            startReader();
        }
        return entry.answer();
    }

    @Override
    public void cancel(String interactionId) {
        for (Pending p : pending) {
            if (p.question().interactionId().equals(interactionId) && pending.remove(p)) {
                p.answer().cancel(false);
                out.println(TerminalText.withdrawn(p.question()));
                return;
            }
        }
    }

    /** Cancels the pending questions and stops reading. Idempotent. */
    @Override
    public void close() {
        closed = true;
        @Nullable Thread running = reader;
        if (running != null) {
            running.interrupt();
        }
        for (@Nullable Pending p = pending.pollFirst(); p != null; p = pending.pollFirst()) {
            p.answer().cancel(false);
        }
    }

    private void startReader() {
        if (readerStarted.compareAndSet(false, true)) {
            reader = Thread.ofVirtual().name("orchestra4j-terminal-reader").start(this::readLines);
        }
    }

    private void readLines() {
        try {
            for (String line = input.readLine(); line != null && !closed; line = input.readLine()) {
                onLine(line.strip());
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("Reading answers from the terminal failed; no further answers will be read", e);
            }
        }
        inputEnded = true;
        if (!closed && !pending.isEmpty()) {
            out.println("  (input has ended; " + pending.size() + " question(s) left unanswered)");
        }
    }

    private void onLine(String typed) {
        if (typed.isEmpty()) {
            return;
        }
        for (@Nullable Pending head = pending.peekFirst(); head != null; head = pending.peekFirst()) {
            Optional<String> answer = TerminalText.answer(head.question(), typed);
            if (answer.isEmpty()) {
                out.println(TerminalText.notAnOption(head.question()));
                return;
            }
            if (pending.remove(head)) { // whoever removes a question owns it: a racing cancel() finds nothing
                announceNext(1);
                head.answer().complete(answer.get());
                return;
            }
        }
        out.println("  (no question is waiting; ignored: " + typed + ")");
    }

    /** Says which question the next line answers, when at least {@code waitingAtLeast} questions wait. */
    private void announceNext(int waitingAtLeast) {
        @Nullable Pending next = pending.peekFirst();
        int waiting = pending.size();
        if (next != null && waiting >= waitingAtLeast) {
            out.println(TerminalText.nextUp(next.question(), waiting));
        }
    }
}

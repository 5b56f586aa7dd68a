package dev.orchestra4j.core.user;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** What a channel printed, with a wait for text to appear (signalled on every write, no polling). */
final class TerminalOutput extends OutputStream {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final StringBuilder text = new StringBuilder();
    private final PrintStream printStream = new PrintStream(this, true, Charset.defaultCharset());

    PrintStream printStream() {
        return printStream;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            text.append(new String(bytes, offset, length, Charset.defaultCharset()));
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    String text() {
        lock.lock();
        try {
            return text.toString();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the output contains {@code expected}; returns everything printed so far. */
    String awaitContains(String expected, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (text.indexOf(expected) < 0) {
                if (remaining <= 0) {
                    throw new AssertionError("output never contained '" + expected + "'; it was:\n" + text);
                }
                remaining = written.awaitNanos(remaining);
            }
            return text.toString();
        } finally {
            lock.unlock();
        }
    }
}

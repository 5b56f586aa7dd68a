package dev.orchestra4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * A piped terminal that types like a person: each answer line becomes readable only after a question ({@code "? …"})
 * has been printed, so no answer is typed ahead of its question. The input ends after the last answer.
 */
final class PromptedTerminal {

    private final Semaphore questions = new Semaphore(0);
    private final Deque<byte[]> answers = new ArrayDeque<>();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(new Screen(), true, StandardCharsets.UTF_8);
    private final InputStream in = new Keyboard();

    PromptedTerminal(List<String> answerLines) {
        answerLines.forEach(line -> answers.add((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    InputStream in() {
        return in;
    }

    PrintStream out() {
        return out;
    }

    String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    private final class Screen extends OutputStream {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(int b) {
            synchronized (screen) {
                screen.write(b);
                if (b != '\n') {
                    line.append((char) b);
                    return;
                }
                if (line.toString().startsWith("? ")) {
                    questions.release();
                }
                line.setLength(0);
            }
        }
    }

    private final class Keyboard extends InputStream {
        private byte[] current = new byte[0];
        private int position;

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
            if (position == current.length) {
                byte[] next;
                synchronized (answers) {
                    next = answers.poll();
                }
                if (next == null) {
                    return -1;
                }
                try {
                    questions.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for a question");
                }
                current = next;
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - position;
        }
    }
}

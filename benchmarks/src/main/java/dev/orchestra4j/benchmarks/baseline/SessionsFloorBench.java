package dev.orchestra4j.benchmarks.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The memory floor under issue #11's 10,000-session target, with no engine: {@code SessionsBench}'s raw virtual
 * threads (10,000 at once, each sleeping 50 ms ten times, at the JVM's default heap), each also holding {@code
 * liveBytes} of small objects for its whole life and dropping {@value #GARBAGE_PER_STEP} bytes of short-lived ones
 * per step. A session in flight holds about 8 KB more than a parked virtual thread (its state, its machine and a
 * deeper stack) and allocates about 1.6 KB per step; at the default heap every young collection copies what 10,000 of
 * them hold. This tells how much a session may hold for the target to be reachable at all: the engine's own CPU is not
 * in it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SessionsFloorBench {

    static final int SESSIONS = 10_000;
    static final int STEPS = 10;
    static final long STEP_MILLIS = 50;
    /** What an Orchestra4j session allocates per step (JMH -prof gc, SessionsBench: ≈ 16 KB per 10-step session). */
    static final int GARBAGE_PER_STEP = 1_600;

    /** A small object of the size most of a session's are (object header, a reference and three longs: 48 bytes). */
    static final class Cell {
        Cell next;
        long a;
        long b;
        long c;

        Cell(Cell next, long a) {
            this.next = next;
            this.a = a;
        }
    }

    static final int CELL_BYTES = 48;

    @Param({"4096", "8192"})
    int liveBytes;

    /** Sleeps per step; a test sets it to 0. */
    long stepMillis = STEP_MILLIS;

    @Benchmark
    public int virtualThreadsHolding() throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(SESSIONS);
        for (int i = 0; i < SESSIONS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                if (session() >= liveBytes / CELL_BYTES) {
                    done.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (done.get() != SESSIONS) {
            throw new IllegalStateException("virtualThreadsHolding: " + done.get() + " of " + SESSIONS + " completed");
        }
        return done.get();
    }

    /** One session's life; returns how many cells it held, so that none of them can be optimised away. */
    int session() {
        Cell held = null;
        for (int k = 0; k < liveBytes / CELL_BYTES; k++) {
            held = new Cell(held, k);
        }
        // short-lived objects escape into a small ring the session holds, and die when overwritten
        Cell[] ring = new Cell[8];
        int made = 0;
        try {
            for (int s = 0; s < STEPS; s++) {
                if (stepMillis > 0) {
                    Thread.sleep(stepMillis);
                }
                for (int g = 0; g < GARBAGE_PER_STEP / CELL_BYTES; g++) {
                    ring[made++ & 7] = new Cell(null, g);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        int count = 0;
        for (Cell c = held; c != null; c = c.next) {
            count++;
        }
        return ring[0] == null ? -1 : count;
    }
}

package dev.orchestra4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time the benchmark thread spent per iteration, next to its operation count, as JMH auxiliary counters ({@code
 * cpuNanos}, {@code ops}; totals over the measured iterations, divide one by the other). On a loaded machine the wall
 * time of an operation measures mostly how long the thread waited for a core; its CPU time does not. It is complete
 * only for work done on the benchmark thread itself: a pipeline run that its caller drives, or a peer's sequence; not
 * work handed to other threads (fan-out branches).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Operations in this iteration (the benchmark method counts them). */
    public long ops;

    private long start;

    @Setup(Level.Iteration)
    public void start() {
        ops = 0;
        start = THREADS.getCurrentThreadCpuTime();
    }

    /** CPU time of this thread since the iteration began, read by JMH at its end (on this thread). */
    public long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime() - start;
    }
}

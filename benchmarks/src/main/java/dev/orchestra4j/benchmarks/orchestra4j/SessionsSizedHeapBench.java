package dev.orchestra4j.benchmarks.orchestra4j;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link SessionsBench} in a JVM whose heap is sized up front, as a service that holds 10,000 sessions at once would
 * be run: {@code -Xms4g -Xmx4g -XX:+AlwaysPreTouch}, for the virtual-thread floor and Orchestra4j alike.
 *
 * <p>With the JVM's defaults the heap starts at 1/64 of RAM and grows while the benchmark runs, and G1 keeps its young
 * generation small to meet its pause goal: 10,000 sessions in flight are live in it (about 8 KB each: state, machine,
 * the parked thread's stack), so every young collection copies all of them, on fresh pages the kernel must zero first.
 * Both numbers are reported; the difference is the price of the default heap, not of the engine.
 */
@Fork(jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class SessionsSizedHeapBench extends SessionsBench {}

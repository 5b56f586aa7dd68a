/**
 * Raw JDK baselines: the cheapest ways to run the shared workloads with plain method calls, virtual threads
 * and queues, and the exact hand-off pattern Orchestra4j's engine uses (a coordinator on a virtual thread
 * that starts each agent on its own virtual thread and takes its outcome from a queue). They bound what any
 * engine can achieve on the machine that runs them.
 */
@NullMarked
package dev.orchestra4j.benchmarks.baseline;

import org.jspecify.annotations.NullMarked;

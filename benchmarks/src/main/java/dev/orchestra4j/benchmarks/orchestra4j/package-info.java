/**
 * The shared workloads on Orchestra4j itself: the same no-op agents as the peers, run through {@code Orchestra.run}
 * with the trace and every timeout on (the defaults) and no state manager, plus the checkpoint-every-step runs and the
 * whole-session measurements (concurrent sessions, memory per suspended session, snapshot size).
 */
@NullMarked
package dev.orchestra4j.benchmarks.orchestra4j;

import org.jspecify.annotations.NullMarked;

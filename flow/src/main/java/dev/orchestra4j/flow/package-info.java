/**
 * Front ends that compile to what the engine already runs: typed {@link dev.orchestra4j.flow.Pipeline}s, declarative
 * {@link dev.orchestra4j.flow.WorkflowDefinition}s and {@code depends_on} {@link dev.orchestra4j.flow.TaskGraph}s.
 * Each compiles to a {@link dev.orchestra4j.flow.CompiledFlow} (a {@code Topology}, its agents and run options) that
 * runs through {@code Orchestra.run} or any {@code OrchestraInstance} like a hand-written topology; flow state travels
 * in the branch payload, so a paused or crashed flow resumes in a fresh instance with everything it had.
 */
@NullMarked
package dev.orchestra4j.flow;

import org.jspecify.annotations.NullMarked;

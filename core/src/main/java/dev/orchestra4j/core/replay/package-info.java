/**
 * Debugging recorded runs (issue #19). With a {@code StateManager}, every agent step is recorded — its input and
 * decision, each model call of an {@code LlmAgent} and each tool call's result — into the session's recording. {@link
 * dev.orchestra4j.core.replay.Recording} reads it; {@code OrchestraInstance.replay} runs a session again offline from it
 * and reports a {@link dev.orchestra4j.core.replay.Divergence} where the run no longer matches; {@code
 * OrchestraInstance.fork} starts a new session from a recorded step or a checkpoint ({@link
 * dev.orchestra4j.core.replay.Fork}); {@link dev.orchestra4j.core.replay.RunDiff} compares two recordings.
 */
@NullMarked
package dev.orchestra4j.core.replay;

import org.jspecify.annotations.NullMarked;

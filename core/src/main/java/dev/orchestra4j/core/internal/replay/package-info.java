/**
 * The machinery behind recording, replay and fork: the per-step interceptor and the tape through which an {@code
 * LlmAgent}'s model and tool calls pass, and the JSON of a recording's step events. Internal: may change.
 */
@NullMarked
package dev.orchestra4j.core.internal.replay;

import org.jspecify.annotations.NullMarked;

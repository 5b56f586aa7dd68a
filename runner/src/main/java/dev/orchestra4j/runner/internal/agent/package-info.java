/**
 * The built-in agent runners: an Orchestra4j topology session per turn (with workspace-confined file and shell tools,
 * tracker tools and the proof-of-work gate) and the Codex app-server protocol over stdio.
 */
@NullMarked
package dev.orchestra4j.runner.internal.agent;

import org.jspecify.annotations.NullMarked;

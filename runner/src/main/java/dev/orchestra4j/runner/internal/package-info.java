/**
 * The runner's machinery: the one-actor scheduler, workspaces and hooks, the topology and codex agent runners, the
 * proof-of-work gate, the tracker adapters and the {@code /api/v1} routes. Not API.
 */
@NullMarked
package dev.orchestra4j.runner.internal;

import org.jspecify.annotations.NullMarked;

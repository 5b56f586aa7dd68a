/**
 * Live events: an in-memory, replayable log per stream (a session, a workflow, the whole server) and Server-Sent
 * Events delivery with bounded per-client buffers, so a slow client never blocks the engine.
 */
@NullMarked
package dev.orchestra4j.server.internal.events;

import org.jspecify.annotations.NullMarked;

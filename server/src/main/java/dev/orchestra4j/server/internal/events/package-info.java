/**
 * Live events: a replayable log per stream (a session, a workflow, a pipeline run, the whole server), journaled in the
 * server's storage backend and shared in memory by the stream's clients, and Server-Sent Events delivery with one
 * writer per connection, so a slow client never blocks the engine.
 */
@NullMarked
package dev.orchestra4j.server.internal.events;

import org.jspecify.annotations.NullMarked;

/**
 * Durable session state for Orchestra4j: the {@link dev.orchestra4j.state.StateManager} that saves, loads,
 * checkpoints and restores {@link dev.orchestra4j.state.SessionSnapshot}s with optimistic versioning, and
 * the {@link dev.orchestra4j.state.StorageBackend} SPI with its in-memory, file, JDBC (PostgreSQL) and
 * Redis implementations. Storage is always the source of truth; a stale writer gets a
 * {@link dev.orchestra4j.state.ConcurrentSessionModificationException} instead of a lost update, and
 * unreadable data is a {@link dev.orchestra4j.state.StateException} naming the session and the field.
 */
@NullMarked
package dev.orchestra4j.state;

import org.jspecify.annotations.NullMarked;

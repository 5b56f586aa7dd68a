/**
 * The in-memory {@link dev.orchestra4j.state.StorageBackend}: a concurrent map of versioned entries and
 * one of journals (each updated only inside a {@code compute} on its key), for tests and single-process
 * runs that need no durability. Returned by {@link
 * dev.orchestra4j.state.StorageBackends#inMemory()}.
 */
@NullMarked
package dev.orchestra4j.state.internal.memory;

import org.jspecify.annotations.NullMarked;

/**
 * The file-system {@link dev.orchestra4j.state.StorageBackend}. Each key is one file ({@code
 * <root>/<key>~data}, a small header with magic, version and time followed by the value), written to a
 * temporary file in the same directory, forced to disk and atomically renamed over the old one, so a
 * crash never leaves a partial entry visible. Updates of one key are serialized across threads by
 * in-process locks and across processes by {@link java.nio.channels.FileChannel#lock() file locks} on a
 * fixed set of lock files under {@code <root>/~locks}. A key's journal is a segment file {@code
 * <root>/<key>~journal} ({@link dev.orchestra4j.state.internal.file.JournalFile}) appended under the same
 * lock. {@code '~'} cannot occur in keys, so these names
 * never collide with key paths.
 */
@NullMarked
package dev.orchestra4j.state.internal.file;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation details of the state module, not API: the single storage-key and argument validation
 * ({@link dev.orchestra4j.state.internal.Keys}) and the CRC32C helper shared by every backend, and, in sub-packages, the snapshot codec
 * and the in-memory, file, JDBC and Redis backends behind the public classes of {@code
 * dev.orchestra4j.state}. Nothing here is stable across releases.
 */
@NullMarked
package dev.orchestra4j.state.internal;

import org.jspecify.annotations.NullMarked;

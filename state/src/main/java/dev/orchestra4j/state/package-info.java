/**
 * Durable session state for Orchestra4j: the {@link dev.orchestra4j.state.StateManager} that saves, loads,
 * journals, checkpoints and restores {@link dev.orchestra4j.state.SessionSnapshot}s, and the {@link
 * dev.orchestra4j.state.StorageBackend} SPI with its in-memory, file, JDBC (PostgreSQL) and Redis
 * implementations.
 *
 * <p>Storage is always the source of truth. A stale writer gets a {@link
 * dev.orchestra4j.state.ConcurrentSessionModificationException} instead of a lost update: snapshots are
 * saved by compare-and-set on their version, and journal appends are fenced by the last event sequence,
 * atomically on every backend and across processes; so are an owner's snapshot writes that name the sequence
 * it knows ({@link dev.orchestra4j.state.StateManager#save(dev.orchestra4j.state.SessionSnapshot, long)}). Snapshots and journal entries carry a CRC32C, so
 * damaged or unreadable data is a {@link dev.orchestra4j.state.StateException} naming the session and the
 * field or entry, never silently read. A {@link dev.orchestra4j.state.Redactor} keeps secrets and personal
 * data out of storage.
 *
 * <p><b>Dependencies.</b> The PostgreSQL JDBC driver ({@code org.postgresql:postgresql}) and Lettuce
 * ({@code io.lettuce:lettuce-core}) are <em>optional</em> dependencies of {@code orchestra4j-state}: an
 * application that uses the in-memory or file backend does not get them. To use {@link
 * dev.orchestra4j.state.JdbcStorageBackend} or {@link dev.orchestra4j.state.RedisStorageBackend}, declare
 * the driver or Lettuce in your own build.
 *
 * <p><b>At rest.</b> The file backend creates its files and directories readable by their owner only
 * (where the file system has POSIX permissions). No backend encrypts: use the redactor for secrets, and
 * storage-level encryption (disk, database, Redis) for the rest.
 */
@NullMarked
package dev.orchestra4j.state;

import org.jspecify.annotations.NullMarked;

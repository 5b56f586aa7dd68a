/**
 * The JDBC {@link dev.orchestra4j.state.StorageBackend} for PostgreSQL: one table ({@code key text primary
 * key, value bytea, version bigint, updated_at timestamptz}) created if absent, unconditional writes as an
 * upsert and compare-and-set as a version-guarded {@code UPDATE} or an {@code INSERT ... ON CONFLICT DO
 * NOTHING}, each a single statement so no explicit transaction is needed. Connections come from any
 * {@link javax.sql.DataSource} and are closed after each operation. Journals use two more tables, an
 * entries table and a head table whose {@code last_seq} row fences appends; operations that touch several
 * rows (append, delete) run in one transaction. A compare-and-set fenced by the journal locks the key's head row
 * first (a placeholder row while the key has none), so that no append commits between its check and its write.
 */
@NullMarked
package dev.orchestra4j.state.internal.jdbc;

import org.jspecify.annotations.NullMarked;

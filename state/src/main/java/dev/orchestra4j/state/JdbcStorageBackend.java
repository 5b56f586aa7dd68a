package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.jdbc.JdbcStore;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * A {@link StorageBackend} on a PostgreSQL table reached through any {@link DataSource} (for example
 * {@code org.postgresql.ds.PGSimpleDataSource} or a pool). The table ({@code key text primary key, value
 * bytea, version bigint, updated_at timestamptz}) is created if absent. Every operation on values alone is a
 * single statement: writes are upserts, compare-and-set is {@code UPDATE ... WHERE key = ? AND version = ?} or
 * {@code INSERT ... ON CONFLICT DO NOTHING}. Write times come from the backend's clock, stored with
 * microsecond precision. Journals live in two more tables created beside it: {@code <table>_journal}
 * ({@code key, seq, data, crc}, primary key {@code (key, seq)}) and {@code <table>_journal_head} (the last
 * sequence and last append time per key); an append advances the head with a guarded {@code UPDATE} and
 * inserts its entries in one transaction, so of concurrent appenders exactly one wins. A compare-and-set fenced
 * by the journal is one transaction too: it locks the key's head row (inserting a placeholder row, deleted before
 * the commit, while the key has none), compares the last sequence and writes the value, so no append commits
 * between the check and the write. Table names are
 * at most 48 characters so that these names fit PostgreSQL's limit. Needs the PostgreSQL JDBC driver on
 * the class path (an optional dependency: declare it yourself).
 */
public final class JdbcStorageBackend extends ForwardingStorageBackend {

    /** The table used when none is named. */
    public static final String DEFAULT_TABLE = "orchestra4j_state";

    private final String table;

    /** A backend on the table {@value #DEFAULT_TABLE}. */
    public JdbcStorageBackend(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** A backend on {@code table} ({@code [A-Za-z_][A-Za-z0-9_]*}, optionally {@code schema.table}). */
    public JdbcStorageBackend(DataSource dataSource, String table) {
        this(dataSource, table, Clock.systemUTC());
    }

    /** Like {@link #JdbcStorageBackend(DataSource, String)}, stamping writes with {@code clock}. */
    public JdbcStorageBackend(DataSource dataSource, String table, Clock clock) {
        this(new JdbcStore(dataSource, table, clock));
    }

    private JdbcStorageBackend(JdbcStore store) {
        super(store);
        this.table = store.table();
    }

    public String table() {
        return table;
    }
}

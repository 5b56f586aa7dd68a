package dev.orchestra4j.state.internal.jdbc;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.state.internal.Keys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** A {@link StorageBackend} on one PostgreSQL table; every operation is one statement on its own connection. */
public final class JdbcStore implements StorageBackend {

    private static final String DUPLICATE_TABLE = "42P07";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final TableSql sql;
    private final Clock clock;
    private final JdbcJournals journals;

    public JdbcStore(DataSource dataSource, String table, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.sql = new TableSql(table);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journals = new JdbcJournals(sql);
        createTable();
    }

    public String table() {
        return sql.table();
    }

    @Override
    public Optional<StoredValue> read(String key) {
        Keys.requireValid(key);
        return run("read", key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.select())) {
                statement.setString(1, key);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(storedValue(row)) : Optional.<StoredValue>empty();
                }
            }
        });
    }

    @Override
    public long write(String key, byte[] value) {
        Keys.requireValid(key);
        Objects.requireNonNull(value, "value");
        return run("write", key, connection -> returnedVersion(connection, sql.upsert(), key, value))
                .orElseThrow(() -> new StateException("Upsert of key '" + key + "' returned no version"));
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        Keys.requireValid(key);
        Objects.requireNonNull(value, "value");
        Keys.requireSequence("expectedVersion", expectedVersion);
        return run(
                expectedVersion == 0 ? "create" : "update",
                key,
                connection -> setIfVersion(connection, key, expectedVersion, value));
    }

    /**
     * One transaction: lock the journal's head row ({@link JdbcJournals#lockHead}), compare its last sequence, then
     * the version-guarded write. Appends of the key wait for the head's lock, so none commits between the check and
     * the write, whatever the isolation level; the head is locked before the value row, like {@link #delete} and
     * {@link #compareAndDelete} do, so these transactions never deadlock one another.
     */
    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        Keys.requireValid(key);
        Objects.requireNonNull(value, "value");
        Keys.requireSequence("expectedVersion", expectedVersion);
        Keys.requireSequence("expectedLastSequence", expectedLastSequence);
        OffsetDateTime now = now();
        return transaction(expectedVersion == 0 ? "create" : "update", key, connection -> {
            long last = journals.lockHead(connection, key, now);
            if (last != expectedLastSequence) {
                throw ConcurrentSessionModificationException.journal(key, expectedLastSequence, last);
            }
            OptionalLong written = setIfVersion(connection, key, expectedVersion, value);
            if (last == 0) {
                journals.dropPlaceholder(connection, key);
            }
            return written;
        });
    }

    private OptionalLong setIfVersion(Connection connection, String key, long expectedVersion, byte[] value)
            throws SQLException {
        if (expectedVersion == 0) {
            return returnedVersion(connection, sql.insertIfAbsent(), key, value);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.updateIfVersion())) {
            statement.setBytes(1, value);
            statement.setObject(2, now());
            statement.setString(3, key);
            statement.setLong(4, expectedVersion);
            return version(statement);
        }
    }

    @Override
    public boolean delete(String key) {
        Keys.requireValid(key);
        return transaction("delete", key, connection -> {
            boolean hadJournal = journals.delete(connection, key);
            try (PreparedStatement statement = connection.prepareStatement(sql.delete())) {
                statement.setString(1, key);
                return statement.executeUpdate() > 0 || hadJournal;
            }
        });
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requireValid(key);
        Keys.requirePositiveVersion(expectedVersion);
        return transaction("delete", key, connection -> {
            journals.lockExistingHead(connection, key); // head before value, as in a fenced compare-and-set
            try (PreparedStatement statement = connection.prepareStatement(sql.deleteIfVersion())) {
                statement.setString(1, key);
                statement.setLong(2, expectedVersion);
                if (statement.executeUpdate() == 0) {
                    return false;
                }
            }
            journals.delete(connection, key);
            return true;
        });
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        Keys.requireValid(key);
        Keys.requireAppend(expectedLastSequence, entries);
        OffsetDateTime now = now();
        return transaction(
                "append to the journal of",
                key,
                connection -> journals.append(connection, key, expectedLastSequence, entries, now));
    }

    @Override
    public List<JournalEntry> readJournal(String key, long afterSequence) {
        Keys.requireValid(key);
        Keys.requireSequence("afterSequence", afterSequence);
        return run("read the journal of", key, connection -> journals.read(connection, key, afterSequence));
    }

    @Override
    public long lastJournalSequence(String key) {
        Keys.requireValid(key);
        return run("read the journal of", key, connection -> journals.last(connection, key));
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        Keys.requireValid(key);
        Keys.requireSequence("throughSequence", throughSequence);
        run("truncate the journal of", key, connection -> {
            journals.truncate(connection, key, throughSequence);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) {
        Keys.requireValidPrefix(prefix);
        return run("list", prefix + "*", connection -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql.listByPrefix())) {
                statement.setString(1, TableSql.likePrefix(prefix));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                }
            }
            return keys.stream().sorted().toList();
        });
    }

    @Override
    public int expireOlderThan(Duration age) {
        Keys.requirePositiveAge(age);
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(age), ZoneOffset.UTC);
        return run("expire", "*", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.expireOlderThan())) {
                for (int i = 1; i <= 6; i++) {
                    statement.setObject(i, cutoff);
                }
                try (ResultSet count = statement.executeQuery()) {
                    count.next();
                    return count.getInt(1);
                }
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcStore[" + sql.table() + "]";
    }

    @Override
    public String name() {
        return "jdbc";
    }

    private void createTable() {
        run("create table for", sql.table(), connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : List.of(
                        sql.createTable(),
                        sql.createIndex(),
                        sql.createPrefixIndex(),
                        sql.createJournal(),
                        sql.createJournalHead())) {
                    try {
                        statement.execute(ddl);
                    } catch (SQLException e) {
                        // another process creating the same table at the same moment
                        if (!DUPLICATE_TABLE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                            throw e;
                        }
                    }
                }
            }
            return null;
        });
    }

    /** Runs an insert with parameters key, value, updated_at that returns the new version, if any. */
    private OptionalLong returnedVersion(Connection connection, String statementSql, String key, byte[] value)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            statement.setString(1, key);
            statement.setBytes(2, value);
            statement.setObject(3, now());
            return version(statement);
        }
    }

    private static OptionalLong version(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
        }
    }

    private static StoredValue storedValue(ResultSet row) throws SQLException {
        OffsetDateTime updatedAt = row.getObject(3, OffsetDateTime.class);
        return new StoredValue(row.getBytes(1), row.getLong(2), updatedAt.toInstant());
    }

    /** The backend clock's time at the database's precision (microseconds). */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private <T> T run(String operation, String key, SqlAction<T> action) {
        try (Connection connection = dataSource.getConnection()) {
            T result = action.run(connection);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return result;
        } catch (SQLException e) {
            throw new StateException(
                    "Cannot " + operation + " key '" + key + "' in table '" + sql.table() + "' (SQLState "
                            + e.getSQLState() + ")",
                    e);
        }
    }

    /** Runs {@code action} in one transaction, rolled back if it throws. */
    private <T> T transaction(String operation, String key, SqlAction<T> action) {
        return run(operation, key, connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = action.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    @FunctionalInterface
    private interface SqlAction<T> {
        T run(Connection connection) throws SQLException;
    }
}

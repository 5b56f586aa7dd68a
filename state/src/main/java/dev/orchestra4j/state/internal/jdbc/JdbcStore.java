package dev.orchestra4j.state.internal.jdbc;

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
import java.time.Instant;
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

    public JdbcStore(DataSource dataSource, String table, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.sql = new TableSql(table);
        this.clock = Objects.requireNonNull(clock, "clock");
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
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        if (expectedVersion == 0) {
            return run("create", key, connection -> returnedVersion(connection, sql.insertIfAbsent(), key, value));
        }
        return run("update", key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.updateIfVersion())) {
                statement.setBytes(1, value);
                statement.setObject(2, now());
                statement.setString(3, key);
                statement.setLong(4, expectedVersion);
                return version(statement);
            }
        });
    }

    @Override
    public boolean delete(String key) {
        Keys.requireValid(key);
        return run("delete", key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.delete())) {
                statement.setString(1, key);
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requireValid(key);
        Keys.requirePositiveVersion(expectedVersion);
        return run("delete", key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.deleteIfVersion())) {
                statement.setString(1, key);
                statement.setLong(2, expectedVersion);
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public List<dev.orchestra4j.state.JournalEntry> readJournal(String key, long afterSequence) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public long lastJournalSequence(String key) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        throw new UnsupportedOperationException("journal not implemented yet");
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
        Instant cutoff = clock.instant().minus(age);
        return run("expire", "*", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.deleteOlderThan())) {
                statement.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                return statement.executeUpdate();
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
                statement.execute(sql.createTable());
                statement.execute(sql.createIndex());
            } catch (SQLException e) {
                if (!DUPLICATE_TABLE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
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

    @FunctionalInterface
    private interface SqlAction<T> {
        T run(Connection connection) throws SQLException;
    }
}

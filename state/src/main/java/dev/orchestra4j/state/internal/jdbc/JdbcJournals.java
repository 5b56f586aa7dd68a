package dev.orchestra4j.state.internal.jdbc;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.state.internal.Checksums;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal statements of a {@link JdbcStore}, each run on a connection the store provides. The head
 * row of a key ({@code last_seq}) is the fence: an append advances it with a guarded {@code UPDATE} (or
 * creates it with {@code INSERT ... ON CONFLICT DO NOTHING}) in the same transaction that inserts the
 * entries, so of two concurrent appenders with the same expected sequence exactly one commits.
 */
final class JdbcJournals {

    private final TableSql sql;

    JdbcJournals(TableSql sql) {
        this.sql = sql;
    }

    /** Runs inside a transaction; throws (so the caller rolls back) when the fence does not match. */
    long append(Connection connection, String key, long expectedLast, List<byte[]> data, OffsetDateTime now)
            throws SQLException {
        long last = expectedLast + data.size();
        if (!advanceHead(connection, key, expectedLast, last, now)) {
            throw ConcurrentSessionModificationException.journal(key, expectedLast, last(connection, key));
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.insertEntry())) {
            long sequence = expectedLast;
            for (byte[] bytes : data) {
                insert.setString(1, key);
                insert.setLong(2, ++sequence);
                insert.setBytes(3, bytes);
                insert.setInt(4, Checksums.crc32c(bytes));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return last;
    }

    List<JournalEntry> read(Connection connection, String key, long after) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql.selectEntries())) {
            select.setString(1, key);
            select.setLong(2, after);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long sequence = rows.getLong(1);
                    byte[] data = rows.getBytes(2);
                    if (Checksums.crc32c(data) != rows.getInt(3)) {
                        throw new UnreadableStateException("Corrupt journal entry " + sequence + " of key '" + key
                                + "' in table '" + sql.journal() + "': its CRC32C checksum does not match its"
                                + " bytes; the stored row was damaged after it was written");
                    }
                    entries.add(new JournalEntry(sequence, data));
                }
            }
        }
        return entries;
    }

    long last(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql.selectHead())) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /**
     * Runs inside a transaction: locks the key's head row until the transaction ends and returns its last sequence,
     * for a write fenced by the journal. When the key has no head, a placeholder head with last sequence 0 is inserted
     * and returned locked instead (uncommitted, no other transaction sees it), which {@link #dropPlaceholder} must
     * delete before the commit. Either way an append of the key — the guarded {@code UPDATE} of the head, or the
     * {@code INSERT ... ON CONFLICT DO NOTHING} of a first one, which waits for the placeholder's transaction — waits
     * until this transaction ends, so the sequence read here stays the journal's last until the commit. (A plain
     * read of the head would not do under READ COMMITTED: an append could commit between the read and the write.)
     */
    long lockHead(Connection connection, String key, OffsetDateTime now) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql.lockHead())) {
            lock.setString(1, key);
            lock.setObject(2, now);
            lock.executeUpdate();
        }
        return last(connection, key); // a new snapshot under READ COMMITTED: the locked row's committed version
    }

    /** Deletes the placeholder head {@link #lockHead} inserted when the key had none. */
    void dropPlaceholder(Connection connection, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql.deletePlaceholderHead())) {
            delete.setString(1, key);
            delete.executeUpdate();
        }
    }

    /**
     * Locks the key's head row, if it has one, until the transaction ends: a transaction that changes both the value
     * and the head takes the head first, in the order of a fenced write, so two of them never wait for each other.
     */
    void lockExistingHead(Connection connection, String key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql.lockExistingHead())) {
            lock.setString(1, key);
            lock.executeQuery().close();
        }
    }

    void truncate(Connection connection, String key, long through) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql.deleteEntriesThrough())) {
            delete.setString(1, key);
            delete.setLong(2, through);
            delete.executeUpdate();
        }
    }

    /** Deletes the key's head and entries; returns whether it had a journal. */
    boolean delete(Connection connection, String key) throws SQLException {
        try (PreparedStatement entries = connection.prepareStatement(sql.deleteEntries());
                PreparedStatement head = connection.prepareStatement(sql.deleteHead())) {
            entries.setString(1, key);
            entries.executeUpdate();
            head.setString(1, key);
            return head.executeUpdate() > 0;
        }
    }

    private boolean advanceHead(Connection connection, String key, long expectedLast, long last, OffsetDateTime now)
            throws SQLException {
        if (expectedLast == 0) {
            try (PreparedStatement insert = connection.prepareStatement(sql.insertHeadIfAbsent())) {
                insert.setString(1, key);
                insert.setLong(2, last);
                insert.setObject(3, now);
                return hasRow(insert);
            }
        }
        try (PreparedStatement update = connection.prepareStatement(sql.advanceHead())) {
            update.setLong(1, last);
            update.setObject(2, now);
            update.setString(3, key);
            update.setLong(4, expectedLast);
            return hasRow(update);
        }
    }

    private static boolean hasRow(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            return row.next();
        }
    }
}

package dev.orchestra4j.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

final class JdbcStorageBackendTest extends StorageBackendContractTest {

    private static final String TABLE = ExternalServices.uniqueName("o4j_test");
    private static final PGSimpleDataSource DATA_SOURCE = new PGSimpleDataSource();
    private static boolean reachable;

    @BeforeAll
    static void requirePostgres() {
        DATA_SOURCE.setURL(ExternalServices.PG_URL);
        try (Connection connection = DATA_SOURCE.getConnection()) {
            reachable = connection.isValid(5);
        } catch (SQLException e) {
            ExternalServices.unavailable("PostgreSQL", ExternalServices.PG_URL, e);
        }
    }

    @AfterAll
    static void dropTable() throws SQLException {
        if (!reachable) {
            return;
        }
        try (Connection connection = DATA_SOURCE.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE + ", " + TABLE + "_journal, " + TABLE + "_journal_head");
        }
    }

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return new JdbcStorageBackend(DATA_SOURCE, TABLE, clock);
    }

    @Override
    void flipJournalBit(String key, long sequence) throws SQLException {
        execute("UPDATE " + TABLE + "_journal SET data = set_byte(data, 0, get_byte(data, 0) # 1)" + " WHERE key = '"
                + key + "' AND seq = " + sequence);
    }

    @Override
    void flipValueBit(String key, int index) throws SQLException {
        execute("UPDATE " + TABLE + " SET value = set_byte(value, " + index + ", get_byte(value, " + index
                + ") # 1) WHERE key = '" + key + "'");
    }

    private static void execute(String update) throws SQLException {
        try (Connection connection = DATA_SOURCE.getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(update)).isEqualTo(1);
        }
    }

    @Test
    void constructor_tableNameTooLongForItsJournalTables_rejected() {
        assertThatThrownBy(() -> new JdbcStorageBackend(DATA_SOURCE, "t".repeat(49)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 48 characters");
    }

    @Override
    String expectedName() {
        return "jdbc";
    }

    @Test
    void constructor_tableAlreadyExists_reusesItsRows() {
        backend.write("kept", bytes("v"));

        try (StorageBackend again = new JdbcStorageBackend(DATA_SOURCE, TABLE, clock)) {
            assertThat(again.read("kept").orElseThrow().value()).isEqualTo(bytes("v"));
        }
    }

    @Test
    void write_clockWithNanoseconds_storedAtMicrosecondPrecision() {
        clock.advance(java.time.Duration.ofNanos(1_234_567));

        backend.write("k", bytes("v"));

        assertThat(backend.read("k").orElseThrow().updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.001234Z"));
    }

    @Test
    void constructor_injectionInTableName_rejected() {
        assertThatThrownBy(() -> new JdbcStorageBackend(DATA_SOURCE, "t; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'t; DROP TABLE x'");
    }

    @Test
    void list_prefixWithLikeWildcard_matchesLiterally() {
        backend.write("a_b/1", bytes("x"));
        backend.write("axb/1", bytes("y"));

        assertThat(backend.list("a_")).containsExactly("a_b/1");
    }

    /**
     * Under READ COMMITTED an append whose transaction is still open when a fenced write starts must hold the write up
     * until it commits, and then refuse it: a read of the head without a lock would see the committed sequence and
     * write without ever waiting.
     */
    @Test
    void fencedCompareAndSet_appendInProgress_waitsForItsCommitAndIsRefused() throws Exception {
        backend.write("j", bytes("snapshot"));
        backend.appendJournal("j", 0, List.of(bytes("a")));

        assertRefusedOnceTheAppendCommits(
                "UPDATE " + TABLE + "_journal_head SET last_seq = 2 WHERE key = 'j' AND last_seq = 1",
                () -> backend.compareAndSet("j", 1, bytes("stale"), 1),
                2);

        assertThat(backend.read("j").orElseThrow().value()).isEqualTo(bytes("snapshot"));
    }

    /** The same for a key whose first append is in progress: there is no head row yet to lock. */
    @Test
    void fencedCompareAndSet_firstAppendInProgress_waitsForItsCommitAndIsRefused() throws Exception {
        assertRefusedOnceTheAppendCommits(
                "INSERT INTO " + TABLE + "_journal_head (key, last_seq, updated_at) VALUES ('j', 1, now())",
                () -> backend.compareAndSet("j", 0, bytes("stale"), 0),
                1);

        assertThat(backend.read("j")).isEmpty();
        assertThat(backend.lastJournalSequence("j")).isEqualTo(1);
    }

    /**
     * Runs {@code append} (another owner's append of the head) in an open transaction, starts {@code write}, waits
     * until PostgreSQL shows the write waiting for a lock on this test's tables, commits the append and expects the
     * write refused with the journal's new last sequence.
     */
    private void assertRefusedOnceTheAppendCommits(String append, Callable<OptionalLong> write, long appendedLast)
            throws Exception {
        try (Connection appender = DATA_SOURCE.getConnection();
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            appender.setAutoCommit(false);
            try (Statement statement = appender.createStatement()) {
                assertThat(statement.executeUpdate(append)).isEqualTo(1);
            }
            Future<OptionalLong> writing = pool.submit(write);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!waitsForALock()) {
                assertThat(writing.isDone())
                        .as("the fenced write did not wait for the append in progress")
                        .isFalse();
                assertThat(System.nanoTime()).as("the write never waited").isLessThan(deadline);
                Thread.onSpinWait();
            }
            appender.commit();
            assertThatThrownBy(() -> writing.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> {
                        assertThat(e.expectedVersion()).isEqualTo(appendedLast - 1);
                        assertThat(e.actualVersion()).isEqualTo(appendedLast);
                    });
        }
    }

    /** Whether a session is waiting for a lock in a statement on this test run's tables. */
    private static boolean waitsForALock() throws SQLException {
        try (Connection connection = DATA_SOURCE.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type ="
                        + " 'Lock' AND query LIKE '%" + TABLE + "%'")) {
            row.next();
            return row.getInt(1) > 0;
        }
    }

    @Test
    void anyOperation_databaseUnreachable_throwsStateExceptionNamingKey() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");

        assertThatThrownBy(() -> new JdbcStorageBackend(nowhere, "t"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'t'");
    }
}

package dev.orchestra4j.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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

    @Test
    void anyOperation_databaseUnreachable_throwsStateExceptionNamingKey() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");

        assertThatThrownBy(() -> new JdbcStorageBackend(nowhere, "t"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'t'");
    }
}

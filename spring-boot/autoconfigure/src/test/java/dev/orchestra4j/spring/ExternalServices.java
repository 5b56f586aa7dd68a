package dev.orchestra4j.spring;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL and Redis test servers: locally an unreachable one skips its tests with a loud message on stderr;
 * with {@code CI=true} it fails them.
 */
final class ExternalServices {

    static final String PG_URL = env("ORCHESTRA4J_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String REDIS_URL = env("ORCHESTRA4J_REDIS_URL", "redis://127.0.0.1:6379");

    private ExternalServices() {}

    /** A name unique to this test run, usable as a table name or key prefix. */
    static String uniqueName(String base) {
        return base + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** A data source on the test database, after checking that it answers. */
    static PGSimpleDataSource postgres() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(PG_URL);
        try (Connection c = dataSource.getConnection()) {
            c.isValid(2);
        } catch (SQLException e) {
            unavailable("PostgreSQL", PG_URL, e);
        }
        return dataSource;
    }

    static void dropTable(PGSimpleDataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table + ", " + table + "_journal, " + table + "_journal_head");
        }
    }

    /** Fails (with {@code CI=true}) or aborts the test, loudly either way. */
    static void unavailable(String service, String url, Exception cause) {
        String problem = "*** " + service + " at " + url + " is unreachable (" + cause + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(problem + "; failing because CI=true ***", cause);
        }
        String message = problem + "; its Spring Boot tests are SKIPPED. Start it or set the URL variable (with"
                + " CI=true this fails) ***";
        System.err.println(message);
        Assumptions.abort(message);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

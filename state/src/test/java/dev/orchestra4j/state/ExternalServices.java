package dev.orchestra4j.state;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the PostgreSQL and Redis test servers are, and what to do when one is unreachable: locally the
 * tests are skipped with a loud message on stderr; with {@code CI=true} they fail.
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

    /** Fails (with {@code CI=true}) or aborts the test class, loudly either way. */
    static void unavailable(String service, String url, Exception cause) {
        String problem = "*** " + service + " at " + url + " is unreachable (" + cause + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(problem + "; failing because CI=true ***", cause);
        }
        String message = problem + "; its storage backend tests are SKIPPED. Start it or set the URL"
                + " variable (with CI=true this fails) ***";
        System.err.println(message);
        Assumptions.abort(message);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

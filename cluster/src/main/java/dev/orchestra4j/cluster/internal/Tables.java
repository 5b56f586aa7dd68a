package dev.orchestra4j.cluster.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The cluster's two tables, named from one prefix: {@code <prefix>runs} (db-scheduler's execution table, one row per
 * session that has work to do or is running) and {@code <prefix>inbox} (what other nodes sent a session: answers,
 * pauses, resumes, cancels). Notifications go out on the channel {@code <prefix>inbox}.
 */
public record Tables(String prefix) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    /** The default prefix. */
    public static final String DEFAULT_PREFIX = "orchestra4j_";

    public Tables {
        if (!NAME.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "table prefix '" + prefix + "' must be 1-40 characters of [a-z0-9_], not starting with a digit");
        }
    }

    public String runs() {
        return prefix + "runs";
    }

    public String inbox() {
        return prefix + "inbox";
    }

    /** The NOTIFY channel for inbox rows; its payload is the session id. */
    public String channel() {
        return prefix + "inbox";
    }

    /** Creates both tables and their indexes if absent (under an advisory lock, so concurrent workers do not race). */
    public void create(DataSource dataSource) {
        String runs = runs();
        String inbox = inbox();
        String[] ddl = {
            "CREATE TABLE IF NOT EXISTS " + runs + " (task_name text NOT NULL, task_instance text NOT NULL,"
                    + " task_data bytea, execution_time timestamptz NOT NULL, picked boolean NOT NULL,"
                    + " picked_by text, last_success timestamptz, last_failure timestamptz,"
                    + " consecutive_failures int, last_heartbeat timestamptz, version bigint NOT NULL,"
                    + " priority smallint, PRIMARY KEY (task_name, task_instance))",
            "CREATE INDEX IF NOT EXISTS " + runs + "_exec_idx ON " + runs + " (execution_time)",
            "CREATE INDEX IF NOT EXISTS " + runs + "_hb_idx ON " + runs + " (last_heartbeat)",
            "CREATE INDEX IF NOT EXISTS " + runs + "_prio_idx ON " + runs + " (priority DESC, execution_time ASC)",
            "CREATE TABLE IF NOT EXISTS " + inbox + " (session_id text NOT NULL, seq bigserial,"
                    + " kind text NOT NULL, interaction_id text, payload text NOT NULL,"
                    + " applied boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (session_id, seq))",
            "CREATE UNIQUE INDEX IF NOT EXISTS " + inbox + "_interaction ON " + inbox
                    + " (session_id, interaction_id) WHERE interaction_id IS NOT NULL"
        };
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('" + runs + "'))");
                for (String sql : ddl) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new dev.orchestra4j.state.StateException(
                    "could not create the cluster tables '" + runs + "' and '" + inbox + "': " + e.getMessage(), e);
        }
    }
}

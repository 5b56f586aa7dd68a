package dev.orchestra4j.state.internal.jdbc;

import java.util.regex.Pattern;

/** The SQL for one validated table name (optionally schema-qualified); nothing else is ever spliced in. */
record TableSql(String table) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    TableSql {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Invalid table name '" + table
                    + "': use [A-Za-z_][A-Za-z0-9_]*, optionally qualified as schema.table");
        }
    }

    String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (key text PRIMARY KEY, value bytea NOT NULL,"
                + " version bigint NOT NULL, updated_at timestamptz NOT NULL)";
    }

    String createIndex() {
        String simpleName = table.substring(table.indexOf('.') + 1);
        return "CREATE INDEX IF NOT EXISTS " + simpleName + "_updated_at_idx ON " + table + " (updated_at)";
    }

    String select() {
        return "SELECT value, version, updated_at FROM " + table + " WHERE key = ?";
    }

    /** Parameters: key, value, updated_at. */
    String upsert() {
        return "INSERT INTO " + table + " AS t (key, value, version, updated_at) VALUES (?, ?, 1, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = t.version + 1,"
                + " updated_at = EXCLUDED.updated_at RETURNING version";
    }

    /** Parameters: key, value, updated_at. */
    String insertIfAbsent() {
        return "INSERT INTO " + table + " (key, value, version, updated_at) VALUES (?, ?, 1, ?)"
                + " ON CONFLICT (key) DO NOTHING RETURNING version";
    }

    /** Parameters: value, updated_at, key, expected version. */
    String updateIfVersion() {
        return "UPDATE " + table + " SET value = ?, version = version + 1, updated_at = ?"
                + " WHERE key = ? AND version = ? RETURNING version";
    }

    String delete() {
        return "DELETE FROM " + table + " WHERE key = ?";
    }

    /** Parameters: key, expected version. */
    String deleteIfVersion() {
        return "DELETE FROM " + table + " WHERE key = ? AND version = ?";
    }

    /** Parameter: a LIKE pattern with {@code '\'} as escape character. */
    String listByPrefix() {
        return "SELECT key FROM " + table + " WHERE key LIKE ? ESCAPE '\\'";
    }

    String deleteOlderThan() {
        return "DELETE FROM " + table + " WHERE updated_at < ?";
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}

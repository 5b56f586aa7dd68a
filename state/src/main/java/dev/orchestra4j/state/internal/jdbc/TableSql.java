package dev.orchestra4j.state.internal.jdbc;

import java.util.regex.Pattern;

/** The SQL for one validated table name (optionally schema-qualified); nothing else is ever spliced in. */
record TableSql(String table) {

    /** At most 48 characters, so that {@code <table>_journal_head} and the index name fit PostgreSQL's 63-character names. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,47}");

    TableSql {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Invalid table name '" + table
                    + "': use [A-Za-z_][A-Za-z0-9_]* (at most 48 characters), optionally qualified as schema.table");
        }
    }

    /** The table of journal entries: {@code <table>_journal}. */
    String journal() {
        return table + "_journal";
    }

    /** The table of journal heads (last sequence, last append time): {@code <table>_journal_head}. */
    String journalHead() {
        return table + "_journal_head";
    }

    String createJournal() {
        return "CREATE TABLE IF NOT EXISTS " + journal() + " (key text NOT NULL, seq bigint NOT NULL,"
                + " data bytea NOT NULL, crc integer NOT NULL, PRIMARY KEY (key, seq))";
    }

    String createJournalHead() {
        return "CREATE TABLE IF NOT EXISTS " + journalHead() + " (key text PRIMARY KEY, last_seq bigint NOT NULL,"
                + " updated_at timestamptz NOT NULL)";
    }

    /** Parameters: key, new last sequence, updated_at. Returns a row only if the head was created. */
    String insertHeadIfAbsent() {
        return "INSERT INTO " + journalHead() + " (key, last_seq, updated_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (key) DO NOTHING RETURNING last_seq";
    }

    /** Parameters: new last sequence, updated_at, key, expected last sequence. */
    String advanceHead() {
        return "UPDATE " + journalHead() + " SET last_seq = ?, updated_at = ? WHERE key = ? AND last_seq = ?"
                + " RETURNING last_seq";
    }

    /**
     * Parameters: key, updated_at. Locks the key's head row until the transaction ends: an existing row through the
     * conflict action (PostgreSQL locks the conflicting row even though {@code WHERE false} updates nothing), a missing
     * one by inserting a placeholder with last sequence 0, which the transaction deletes again before it commits.
     */
    String lockHead() {
        return "INSERT INTO " + journalHead() + " AS h (key, last_seq, updated_at) VALUES (?, 0, ?)"
                + " ON CONFLICT (key) DO UPDATE SET last_seq = h.last_seq WHERE false";
    }

    /** Parameter: key. Deletes a placeholder head; a real head never has last sequence 0 (appends add entries). */
    String deletePlaceholderHead() {
        return "DELETE FROM " + journalHead() + " WHERE key = ? AND last_seq = 0";
    }

    /** Parameter: key. Locks the key's head row, if it has one, until the transaction ends. */
    String lockExistingHead() {
        return "SELECT 1 FROM " + journalHead() + " WHERE key = ? FOR UPDATE";
    }

    String selectHead() {
        return "SELECT last_seq FROM " + journalHead() + " WHERE key = ?";
    }

    /** Parameters: key, seq, data, crc. */
    String insertEntry() {
        return "INSERT INTO " + journal() + " (key, seq, data, crc) VALUES (?, ?, ?, ?)";
    }

    /** Parameters: key, after sequence. */
    String selectEntries() {
        return "SELECT seq, data, crc FROM " + journal() + " WHERE key = ? AND seq > ? ORDER BY seq";
    }

    /** Parameters: key, through sequence. */
    String deleteEntriesThrough() {
        return "DELETE FROM " + journal() + " WHERE key = ? AND seq <= ?";
    }

    String deleteHead() {
        return "DELETE FROM " + journalHead() + " WHERE key = ?";
    }

    String deleteEntries() {
        return "DELETE FROM " + journal() + " WHERE key = ?";
    }

    /**
     * Deletes values and journals of keys whose value and journal head are both older than the cutoff
     * (parameter 1 to 6: the cutoff) and returns the number of keys.
     */
    String expireOlderThan() {
        return "WITH old AS ("
                + "SELECT v.key FROM " + table + " v WHERE v.updated_at < ? AND NOT EXISTS (SELECT 1 FROM "
                + journalHead() + " h WHERE h.key = v.key AND h.updated_at >= ?)"
                + " UNION SELECT h.key FROM " + journalHead() + " h WHERE h.updated_at < ? AND NOT EXISTS"
                + " (SELECT 1 FROM " + table + " v WHERE v.key = h.key AND v.updated_at >= ?)),"
                + " dv AS (DELETE FROM " + table + " WHERE key IN (SELECT key FROM old) AND updated_at < ?"
                + " RETURNING key),"
                + " dh AS (DELETE FROM " + journalHead() + " WHERE key IN (SELECT key FROM old) AND updated_at < ?"
                + " RETURNING key),"
                + " dj AS (DELETE FROM " + journal() + " WHERE key IN (SELECT key FROM dh))"
                + " SELECT count(*) FROM (SELECT key FROM dv UNION SELECT key FROM dh) expired";
    }

    String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (key text PRIMARY KEY, value bytea NOT NULL,"
                + " version bigint NOT NULL, updated_at timestamptz NOT NULL)";
    }

    String createIndex() {
        String simpleName = table.substring(table.indexOf('.') + 1);
        return "CREATE INDEX IF NOT EXISTS " + simpleName + "_updated_at_idx ON " + table + " (updated_at)";
    }

    /** A {@code text_pattern_ops} index, so that prefix listing ({@code LIKE 'p%'}) need not scan the table. */
    String createPrefixIndex() {
        String simpleName = table.substring(table.indexOf('.') + 1);
        return "CREATE INDEX IF NOT EXISTS " + simpleName + "_key_prefix_idx ON " + table + " (key text_pattern_ops)";
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

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}

package dev.orchestra4j.cluster.internal;

import dev.orchestra4j.state.StateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The durable inbox: the only way into a session from outside its leg. A row is inserted and announced with {@code
 * NOTIFY} in one transaction (PostgreSQL delivers the notification on commit). A row is marked applied once storage
 * shows its effect (an answered question is no longer pending) or it no longer applies; rows are deleted when the
 * session ends. An answer is unique per interaction, so answering twice is detected, not applied twice.
 */
public final class Inbox {

    /** What a row asks for. */
    public enum Kind {
        ANSWER,
        PAUSE,
        RESUME,
        CANCEL
    }

    /** One inbox row. */
    public record Row(long seq, Kind kind, @Nullable String interactionId, String payload) {}

    private final DataSource dataSource;
    private final Tables tables;

    public Inbox(DataSource dataSource, Tables tables) {
        this.dataSource = dataSource;
        this.tables = tables;
    }

    /**
     * Inserts a row and notifies in one transaction; returns its sequence, or empty when the session already has an
     * answer for {@code interactionId}.
     */
    public OptionalLong insert(String sessionId, Kind kind, @Nullable String interactionId, String payload) {
        String sql = "INSERT INTO " + tables.inbox() + " (session_id, kind, interaction_id, payload)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, interaction_id)"
                + " WHERE interaction_id IS NOT NULL DO NOTHING RETURNING seq";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                OptionalLong seq;
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, sessionId);
                    p.setString(2, kind.name());
                    if (interactionId == null) {
                        p.setNull(3, Types.VARCHAR);
                    } else {
                        p.setString(3, interactionId);
                    }
                    p.setString(4, payload);
                    try (ResultSet rs = p.executeQuery()) {
                        seq = rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                    }
                }
                if (seq.isPresent()) {
                    try (PreparedStatement n = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                        n.setString(1, tables.channel());
                        n.setString(2, sessionId);
                        n.execute();
                    }
                }
                c.commit();
                return seq;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("insert a " + kind + " row for session '" + sessionId + "'", e);
        }
    }

    /** The rows not applied yet, oldest first. */
    public List<Row> pending(String sessionId) {
        String sql = "SELECT seq, kind, interaction_id, payload FROM " + tables.inbox()
                + " WHERE session_id = ? AND NOT applied ORDER BY seq";
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, sessionId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), Kind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("read the inbox of session '" + sessionId + "'", e);
        }
    }

    /** Whether the session has an answer (applied or not) to {@code interactionId}. */
    public boolean hasAnswer(String sessionId, String interactionId) {
        String sql = "SELECT 1 FROM " + tables.inbox() + " WHERE session_id = ? AND interaction_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, sessionId);
            p.setString(2, interactionId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("read the answers of session '" + sessionId + "'", e);
        }
    }

    /** Whether the session has a row not applied yet. */
    public boolean hasPending(String sessionId) {
        return !pending(sessionId).isEmpty();
    }

    /** Marks rows applied (their effect is in storage, or they no longer apply). */
    public void markApplied(String sessionId, Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return;
        }
        String sql = "UPDATE " + tables.inbox() + " SET applied = true WHERE session_id = ? AND seq = ANY (?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, sessionId);
            p.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure("mark inbox rows of session '" + sessionId + "' applied", e);
        }
    }

    /** Deletes every row of a session that has ended. */
    public void deleteAll(String sessionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("DELETE FROM " + tables.inbox() + " WHERE session_id = ?")) {
            p.setString(1, sessionId);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete the inbox of session '" + sessionId + "'", e);
        }
    }

    private static StateException failure(String what, SQLException e) {
        return new StateException("could not " + what + ": " + e.getMessage(), e);
    }
}

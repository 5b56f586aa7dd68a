package dev.orchestra4j.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code calls} table of a run with kills and tells every repeated agent call apart: a step that was in
 * flight on a killed worker and ran again elsewhere (allowed: steps are at-least-once), or a repeat of a step that had
 * been committed — or of an answer that had been applied — which must never happen. For sessions that run one step at
 * a time (the {@code pipeline}s and {@code asking}), whose agents record their branch and step number.
 *
 * <p>A repeat of a call (same session, step and input) is an in-flight re-execution only if the previous call of that
 * kind ran on a worker that was then killed (and started before the kill) or that a survivor took the session over
 * from, was that worker's last call in the session, carried the same (branch, step number) — a tool's idempotency key
 * — and the repeat ran on another worker.
 */
final class CallAudit {

    /** One recorded agent call; {@code at} in epoch seconds from PostgreSQL's clock. */
    record Attempt(
            String session,
            String step,
            String worker,
            String input,
            @Nullable String branch,
            int stepNo,
            double at) {}

    /** A SIGKILL of {@code worker} at {@code at} (epoch seconds, PostgreSQL's clock, taken right before the kill). */
    record Kill(String worker, double at) {}

    /**
     * A survivor took {@code session} over from {@code worker} ({@code SessionRecovered}): after a kill, or from a live
     * worker that missed its heartbeats (a stalled JVM on a loaded machine) and is fenced out at its next commit.
     */
    record Takeover(String session, String worker) {}

    /** What the audit found. {@code repeated} lists the second calls that no kill explains. */
    record Result(int reexecuted, List<Attempt> repeated) {
        Result {
            repeated = List.copyOf(repeated);
        }
    }

    private CallAudit() {}

    /** Every call of a run, in the order they were recorded. */
    static List<Attempt> load(DataSource db, String prefix) {
        String sql = "SELECT session, step, worker, input, branch, stepno, extract(epoch FROM at) FROM " + prefix
                + "calls ORDER BY id";
        List<Attempt> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement p = c.prepareStatement(sql);
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new Attempt(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        Objects.toString(rs.getString(4), ""),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getDouble(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Classifies every repeated call of {@code attempts} (in recorded order) against the {@code kills}. */
    static Result audit(List<Attempt> attempts, List<Kill> kills, java.util.Set<Takeover> takeovers) {
        int reexecuted = 0;
        List<Attempt> repeated = new ArrayList<>();
        for (List<Attempt> session : bySession(attempts).values()) {
            Map<String, Attempt> latest = new LinkedHashMap<>();
            for (Attempt a : session) {
                Attempt before = latest.put(a.step() + "\u0000" + a.input(), a);
                if (before == null) {
                    continue;
                }
                if (wasInFlightAtKill(before, a, session, kills, takeovers)) {
                    reexecuted++;
                } else {
                    repeated.add(a);
                }
            }
        }
        return new Result(reexecuted, repeated);
    }

    /**
     * Seconds from the kill of {@code deadWorker} until {@code session} ran its next call on another worker; empty when
     * it ran none after the kill.
     */
    static Optional<Double> resumeSeconds(List<Attempt> attempts, String session, Kill kill) {
        return attempts.stream()
                .filter(a -> a.session().equals(session)
                        && a.at() > kill.at()
                        && !a.worker().equals(kill.worker()))
                .map(a -> a.at() - kill.at())
                .findFirst();
    }

    private static boolean wasInFlightAtKill(
            Attempt before, Attempt again, List<Attempt> session, List<Kill> kills, java.util.Set<Takeover> takeovers) {
        // a call the victim sent just before its SIGKILL can reach PostgreSQL a moment after the kill's timestamp
        boolean killed =
                kills.stream().anyMatch(k -> k.worker().equals(before.worker()) && before.at() <= k.at() + 1.0);
        boolean takenOver = takeovers.contains(new Takeover(before.session(), before.worker()));
        if (!(killed || takenOver) || again.worker().equals(before.worker())) {
            return false;
        }
        boolean lastOfItsWorker = session.stream()
                        .filter(a -> a.worker().equals(before.worker()))
                        .reduce((x, y) -> y)
                        .orElseThrow()
                == before;
        return lastOfItsWorker && before.stepNo() == again.stepNo() && Objects.equals(before.branch(), again.branch());
    }

    private static Map<String, List<Attempt>> bySession(List<Attempt> attempts) {
        Map<String, List<Attempt>> out = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            out.computeIfAbsent(a.session(), s -> new ArrayList<>()).add(a);
        }
        return out;
    }
}

package dev.orchestra4j.cluster.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the inbox channel over one dedicated connection ({@code LISTEN}, then pgjdbc's {@code getNotifications}
 * with a timeout) and hands each notified session id to a callback. A broken connection is reopened after {@code
 * retry}; notifications sent meanwhile are lost, which the worker's inbox polling covers.
 */
final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final DataSource dataSource;
    private final String channel;
    private final Duration retry;
    private final Consumer<String> onSession;
    private final Thread thread;
    private volatile boolean closed;

    Notifier(DataSource dataSource, String channel, Duration retry, Consumer<String> onSession) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.retry = retry;
        this.onSession = onSession;
        this.thread = Thread.ofPlatform().daemon().name("orchestra4j-notifier").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                PGConnection pg = c.unwrap(PGConnection.class);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications((int) Math.max(1, retry.toMillis()));
                    if (notes != null) {
                        for (PGNotification note : notes) {
                            dispatch(note.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    LOG.warn("inbox notifications on '{}' broke; listening again in {}", channel, retry, e);
                    pause();
                }
            }
        }
    }

    private void dispatch(String sessionId) {
        try {
            onSession.accept(sessionId);
        } catch (RuntimeException e) {
            LOG.warn("handling the inbox notification of session '{}' failed", sessionId, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(retry); // back off before reconnecting to a database that just failed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

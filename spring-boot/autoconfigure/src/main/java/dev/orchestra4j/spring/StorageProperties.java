package dev.orchestra4j.spring;

import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.RedisStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** {@code orchestra4j.storage.*}: where sessions are saved, and the {@link StateManager} over it. */
public class StorageProperties {

    /** Which backend holds sessions. */
    public enum Type {
        /** The application's DataSource if there is one, else its Lettuce Redis connection, else memory. */
        AUTO,
        /** PostgreSQL through the application's DataSource. */
        JDBC,
        /** Redis through the application's Lettuce connection factory, or {@code orchestra4j.storage.redis.uri}. */
        REDIS,
        /** Files under {@code orchestra4j.storage.file.path}. */
        FILE,
        /** This JVM's memory: pause and resume within the process only. */
        MEMORY
    }

    /** Whether sessions are saved at all; false gives an OrchestraInstance without a StateManager. */
    private boolean enabled = true;
    /** Which backend holds sessions. */
    private Type type = Type.AUTO;
    /** How often a running session is saved; 0 saves after every step (the default). */
    private @Nullable Duration autoSaveInterval;
    /** Whether snapshots are gzip-compressed (default false). */
    private @Nullable Boolean compression;
    /** How long a finished session is kept; unset keeps it forever. */
    private @Nullable Duration retention;
    /** Named checkpoints kept per session (default 10). */
    private @Nullable Integer maxCheckpointsPerSession;

    private final Jdbc jdbc = new Jdbc();
    private final Redis redis = new Redis();
    private final File file = new File();

    StateManager toStateManager(StorageBackend backend, Problems problems) {
        return configure(StateManager.builder(backend), problems).build();
    }

    private StateManager.Builder configure(StateManager.Builder b, Problems problems) {
        problems.set("auto-save-interval", autoSaveInterval, b::autoSaveInterval);
        problems.set("compression", compression, b::compression);
        problems.set("retention", retention, b::retention);
        problems.set("max-checkpoints-per-session", maxCheckpointsPerSession, b::maxCheckpointsPerSession);
        return b;
    }

    void check(Problems problems) {
        configure(StateManager.builder(StorageBackends.inMemory()), problems);
        if (type == Type.FILE && file.path == null) {
            problems.add("file.path", "required when orchestra4j.storage.type=file");
        }
        if (!jdbc.table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            problems.add("jdbc.table", "expected [schema.]table of letters, digits and '_', was '" + jdbc.table + "'");
        }
        if (redis.keyPrefix.isEmpty()) {
            problems.add("redis.key-prefix", "must not be empty");
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Type getType() {
        return type;
    }

    public void setType(Type type) {
        this.type = type;
    }

    public @Nullable Duration getAutoSaveInterval() {
        return autoSaveInterval;
    }

    public void setAutoSaveInterval(@Nullable Duration autoSaveInterval) {
        this.autoSaveInterval = autoSaveInterval;
    }

    public @Nullable Boolean getCompression() {
        return compression;
    }

    public void setCompression(@Nullable Boolean compression) {
        this.compression = compression;
    }

    public @Nullable Duration getRetention() {
        return retention;
    }

    public void setRetention(@Nullable Duration retention) {
        this.retention = retention;
    }

    public @Nullable Integer getMaxCheckpointsPerSession() {
        return maxCheckpointsPerSession;
    }

    public void setMaxCheckpointsPerSession(@Nullable Integer maxCheckpointsPerSession) {
        this.maxCheckpointsPerSession = maxCheckpointsPerSession;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Redis getRedis() {
        return redis;
    }

    public File getFile() {
        return file;
    }

    /** orchestra4j.storage.jdbc.*. */
    public static class Jdbc {

        /** The table sessions live in; created if absent. */
        private String table = JdbcStorageBackend.DEFAULT_TABLE;

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }
    }

    /** orchestra4j.storage.redis.*. */
    public static class Redis {

        /** Prefix of every Redis key Orchestra4j writes. */
        private String keyPrefix = RedisStorageBackend.DEFAULT_KEY_PREFIX;
        /** A Redis URI of its own (redis://host:port/db); unset uses the application's Lettuce connection factory. */
        private @Nullable String uri;

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public @Nullable String getUri() {
            return uri;
        }

        public void setUri(@Nullable String uri) {
            this.uri = uri;
        }
    }

    /** orchestra4j.storage.file.*. */
    public static class File {

        /** Directory holding one file per stored key; required with type=file. */
        private @Nullable Path path;

        public @Nullable Path getPath() {
            return path;
        }

        public void setPath(@Nullable Path path) {
            this.path = path;
        }
    }
}

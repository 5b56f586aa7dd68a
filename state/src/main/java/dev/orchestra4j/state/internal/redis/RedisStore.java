package dev.orchestra4j.state.internal.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.state.internal.Keys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A {@link StorageBackend} keeping each key as a Redis hash under a namespace prefix. */
public final class RedisStore implements StorageBackend {

    private static final int SCAN_BATCH = 500;

    private final @Nullable RedisClient ownedClient;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> redis;
    private final String namespace;
    private final Clock clock;

    /**
     * @param ownedClient the client to shut down on {@link #close()}, or {@code null} if the caller owns it;
     *     if the constructor throws, the caller shuts it down
     */
    public RedisStore(RedisClient client, @Nullable RedisClient ownedClient, String namespace, Clock clock) {
        this.namespace = requireNamespace(namespace);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ownedClient = ownedClient;
        try {
            this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        } catch (RedisException e) {
            throw new StateException("Cannot connect to Redis for key prefix '" + namespace + "'", e);
        }
        this.redis = connection.sync();
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public Optional<StoredValue> read(String key) {
        Map<String, byte[]> hash = call("read", key, () -> redis.hgetall(redisKey(key)));
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        byte[] value = hash.get(Scripts.VALUE);
        byte[] version = hash.get(Scripts.VERSION);
        byte[] updated = hash.get(Scripts.UPDATED);
        if (value == null || version == null || updated == null) {
            throw new StateException("Corrupt entry for key '" + key + "' in Redis hash '" + redisKey(key)
                    + "': fields " + hash.keySet() + " instead of [value, version, updated]");
        }
        Instant updatedAt = Instant.EPOCH.plus(parseLong(key, updated), ChronoUnit.MICROS);
        return Optional.of(new StoredValue(value, parseLong(key, version), updatedAt));
    }

    @Override
    public long write(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        return eval("write", key, Scripts.WRITE, value, now());
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        long version = eval("update", key, Scripts.COMPARE_AND_SET, ascii(expectedVersion), value, now());
        return version < 0 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    @Override
    public boolean delete(String key) {
        String redisKey = redisKey(key);
        return call("delete", key, () -> redis.del(redisKey)) > 0;
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requirePositiveVersion(expectedVersion);
        return eval("delete", key, Scripts.DELETE_IF_VERSION, ascii(expectedVersion)) > 0;
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public List<dev.orchestra4j.state.JournalEntry> readJournal(String key, long afterSequence) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public long lastJournalSequence(String key) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        throw new UnsupportedOperationException("journal not implemented yet");
    }

    @Override
    public List<String> list(String prefix) {
        Keys.requireValidPrefix(prefix);
        TreeSet<String> keys = new TreeSet<>();
        scan(namespace + prefix, redisKey -> keys.add(redisKey.substring(namespace.length())));
        return List.copyOf(keys);
    }

    @Override
    public int expireOlderThan(Duration age) {
        Keys.requirePositiveAge(age);
        byte[] cutoff = ascii(micros(clock.instant().minus(age)));
        int[] deleted = {0};
        scan(namespace, redisKey -> {
            Long removed = call(
                    "expire",
                    redisKey,
                    () -> redis.<Long>eval(
                            Scripts.DELETE_IF_OLDER, ScriptOutputType.INTEGER, new String[] {redisKey}, cutoff));
            deleted[0] += removed.intValue();
        });
        return deleted[0];
    }

    @Override
    public String toString() {
        return "RedisStore[" + namespace + "]";
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void close() {
        connection.close();
        if (ownedClient != null) {
            ownedClient.shutdown();
        }
    }

    /** Visits every Redis key starting with {@code redisPrefix} (which holds no glob characters). */
    private void scan(String redisPrefix, Consumer<String> visitor) {
        ScanArgs args = ScanArgs.Builder.matches(redisPrefix + "*").limit(SCAN_BATCH);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<String> page = call("list", redisPrefix + "*", () -> redis.scan(from, args));
            page.getKeys().stream().filter(k -> k.startsWith(redisPrefix)).forEach(visitor);
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Runs a script on the key and returns its integer result. */
    private long eval(String operation, String key, String script, byte[]... args) {
        String[] keys = {redisKey(key)};
        Long result = call(operation, key, () -> redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, args));
        return result;
    }

    private String redisKey(String key) {
        return namespace + Keys.requireValid(key);
    }

    private byte[] now() {
        return ascii(micros(clock.instant()));
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(US_ASCII);
    }

    private static long parseLong(String key, byte[] digits) {
        try {
            return Long.parseLong(new String(digits, US_ASCII));
        } catch (NumberFormatException e) {
            throw new StateException("Corrupt entry for key '" + key + "' in Redis: not a number", e);
        }
    }

    private <T> T call(String operation, String key, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StateException(
                    "Cannot " + operation + " key '" + key + "' in Redis (prefix '" + namespace + "')", e);
        }
    }

    private static String requireNamespace(String namespace) {
        Objects.requireNonNull(namespace, "keyPrefix");
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("keyPrefix must not be empty; use e.g. 'orchestra4j:'");
        }
        Keys.requireValidPrefix(namespace);
        return namespace;
    }
}

package dev.orchestra4j.state.internal.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.state.internal.Keys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A {@link StorageBackend} keeping each key as a Redis hash under a namespace prefix. */
public final class RedisStore implements StorageBackend {

    private static final String JOURNAL_SUFFIX = "~journal";
    static final String HEAD_SUFFIX = "~journal-head";

    private final @Nullable RedisClient ownedClient;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> redis;
    private final String namespace;
    private final Clock clock;
    private final KeyIndex index;

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
        this.index = new KeyIndex(redis, namespace);
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
            throw new UnreadableStateException("Corrupt entry for key '" + key + "' in Redis hash '" + redisKey(key)
                    + "': fields " + hash.keySet() + " instead of [value, version, updated]");
        }
        Instant updatedAt = Instant.EPOCH.plus(parseLong(key, updated), ChronoUnit.MICROS);
        return Optional.of(new StoredValue(value, parseLong(key, version), updatedAt));
    }

    @Override
    public long write(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        String[] keys = {redisKey(key), index.keys()};
        return eval("write", key, Scripts.WRITE, keys, value, now(), utf8(key));
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        Objects.requireNonNull(value, "value");
        Keys.requireSequence("expectedVersion", expectedVersion);
        String[] keys = {redisKey(key), index.keys()};
        long version =
                eval("update", key, Scripts.COMPARE_AND_SET, keys, ascii(expectedVersion), value, now(), utf8(key));
        return version < 0 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /** One script reads the journal head's last sequence and the version and writes: Redis runs it atomically. */
    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        Objects.requireNonNull(value, "value");
        Keys.requireSequence("expectedVersion", expectedVersion);
        Keys.requireSequence("expectedLastSequence", expectedLastSequence);
        String[] keys = {redisKey(key), headKey(key), index.keys()};
        byte[][] args = {ascii(expectedVersion), ascii(expectedLastSequence), value, now(), utf8(key)};
        Long version = call(
                "update",
                key,
                () -> redis.<Long>eval(Scripts.FENCED_COMPARE_AND_SET, ScriptOutputType.INTEGER, keys, args));
        if (version < -1) {
            throw ConcurrentSessionModificationException.journal(key, expectedLastSequence, -2 - version);
        }
        return version < 0 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    @Override
    public boolean delete(String key) {
        return eval("delete", key, Scripts.DELETE, removalKeys(key), utf8(key)) > 0;
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requirePositiveVersion(expectedVersion);
        return eval("delete", key, Scripts.DELETE_IF_VERSION, removalKeys(key), ascii(expectedVersion), utf8(key)) > 0;
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        Keys.requireAppend(expectedLastSequence, entries);
        long last = expectedLastSequence + entries.size();
        byte[][] args = new byte[entries.size() + 4][];
        args[0] = ascii(expectedLastSequence);
        args[1] = ascii(last);
        args[2] = now();
        args[3] = utf8(key);
        for (int i = 0; i < entries.size(); i++) {
            args[i + 4] = RedisJournalEntries.encode(expectedLastSequence + 1 + i, entries.get(i));
        }
        String[] keys = {journalKey(key), headKey(key), index.journals()};
        Long result = call(
                "append to the journal of",
                key,
                () -> redis.<Long>eval(Scripts.APPEND_JOURNAL, ScriptOutputType.INTEGER, keys, args));
        if (result < 0) {
            throw ConcurrentSessionModificationException.journal(key, expectedLastSequence, -1 - result);
        }
        return result;
    }

    @Override
    public List<JournalEntry> readJournal(String key, long afterSequence) {
        Keys.requireSequence("afterSequence", afterSequence);
        String[] keys = {journalKey(key), headKey(key)};
        List<Object> elements = call(
                "read the journal of",
                key,
                () -> redis.<List<Object>>eval(
                        Scripts.READ_JOURNAL, ScriptOutputType.MULTI, keys, ascii(afterSequence)));
        return RedisJournalEntries.decode(elements, afterSequence, key, journalKey(key));
    }

    @Override
    public long lastJournalSequence(String key) {
        String head = headKey(key);
        byte[] last = call("read the journal of", key, () -> redis.hget(head, "last"));
        return last == null ? 0 : parseLong(key, last);
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        Keys.requireSequence("throughSequence", throughSequence);
        String[] keys = {journalKey(key), headKey(key)};
        call(
                "truncate the journal of",
                key,
                () -> redis.<Long>eval(
                        Scripts.TRUNCATE_JOURNAL, ScriptOutputType.INTEGER, keys, ascii(throughSequence)));
    }

    /** Reads the key index: proportional to the keys listed, whatever else the Redis database holds. */
    @Override
    public List<String> list(String prefix) {
        Keys.requireValidPrefix(prefix);
        return index.keysStartingWith(prefix);
    }

    /** Visits the keys of the two indexes (this namespace's keys), never the rest of the database. */
    @Override
    public int expireOlderThan(Duration age) {
        Keys.requirePositiveAge(age);
        byte[] cutoff = ascii(micros(clock.instant().minus(age)));
        int deleted = 0;
        for (String key : index.everyKey()) {
            deleted += (int) eval("expire", key, Scripts.DELETE_IF_OLDER, removalKeys(key), cutoff, utf8(key));
        }
        return deleted;
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

    /** Runs a script on {@code keys} (the key's Redis keys) and returns its integer result. */
    private long eval(String operation, String key, String script, String[] keys, byte[]... args) {
        Long result = call(operation, key, () -> redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, args));
        return result;
    }

    /** Everything a removal of {@code key} touches: its value, journal and head, and both indexes. */
    private String[] removalKeys(String key) {
        return new String[] {redisKey(key), journalKey(key), headKey(key), index.keys(), index.journals()};
    }

    private String redisKey(String key) {
        return namespace + Keys.requireValid(key);
    }

    /** The list holding the key's journal entries ({@code '~'} never occurs in keys, so no collision). */
    private String journalKey(String key) {
        return redisKey(key) + JOURNAL_SUFFIX;
    }

    /** The hash holding the key's journal base, last sequence and last append time. */
    private String headKey(String key) {
        return redisKey(key) + HEAD_SUFFIX;
    }

    private byte[] now() {
        return ascii(micros(clock.instant()));
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(US_ASCII);
    }

    private static long parseLong(String key, byte[] digits) {
        try {
            return Long.parseLong(new String(digits, US_ASCII));
        } catch (NumberFormatException e) {
            throw new UnreadableStateException("Corrupt entry for key '" + key + "' in Redis: not a number", e);
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

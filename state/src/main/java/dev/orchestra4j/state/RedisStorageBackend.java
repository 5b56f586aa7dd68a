package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.redis.RedisStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Clock;

/**
 * A {@link StorageBackend} on Redis through Lettuce. Each key is a hash ({@code value}, {@code version},
 * {@code updated}) named {@code <keyPrefix><key>}; writes and compare-and-set are Lua scripts run with
 * {@code EVAL}, hence atomic. Write times come from the backend's clock, stored with microsecond precision. A
 * key's journal is a list {@code <keyPrefix><key>~journal} (each element: sequence, CRC32C, data) with a hash
 * {@code <keyPrefix><key>~journal-head} holding its base and last sequence; append and fence check run in one
 * Lua script, as do a fenced compare-and-set's reads of the head and the version and its write.
 *
 * <p>Two sorted sets index the namespace: {@code <keyPrefix>~keys} holds every key with a value, {@code
 * <keyPrefix>~journals} every key with a journal (score 0, ordered by the key's bytes). The script that creates
 * or removes a value or a journal updates them in the same step, so {@link #list} reads a {@code ZRANGEBYLEX}
 * range proportional to the keys it returns, and {@link #expireOlderThan} visits this namespace's keys only;
 * neither walks the database. Keys written by an earlier version (without the indexes) are indexed once per
 * namespace, by the first backend that lists or expires: one {@code SCAN} of the namespace (never {@code KEYS}),
 * each found key indexed only if it still exists (checked in the same script), then a marker {@code
 * <keyPrefix>~indexed} tells every later backend the indexes are whole. Keys that a process of an earlier version
 * writes after that are not indexed: upgrade every process sharing a key prefix together. Key prefixes must not
 * be prefixes of one another. Needs {@code io.lettuce:lettuce-core} on the class path (an optional dependency:
 * declare it yourself).
 */
public final class RedisStorageBackend extends ForwardingStorageBackend {

    /** The key prefix used when none is given. */
    public static final String DEFAULT_KEY_PREFIX = "orchestra4j:";

    private final String keyPrefix;

    /** A backend with its own client for {@code uri}, under {@value #DEFAULT_KEY_PREFIX}. */
    public RedisStorageBackend(RedisURI uri) {
        this(uri, DEFAULT_KEY_PREFIX);
    }

    /** A backend with its own client for {@code uri}; {@link #close()} shuts the client down. */
    public RedisStorageBackend(RedisURI uri, String keyPrefix) {
        this(uri, keyPrefix, Clock.systemUTC());
    }

    /** Like {@link #RedisStorageBackend(RedisURI, String)}, stamping writes with {@code clock}. */
    public RedisStorageBackend(RedisURI uri, String keyPrefix, Clock clock) {
        this(ownedStore(uri, keyPrefix, clock));
    }

    /** A backend on an existing client, which stays open when the backend closes. */
    public RedisStorageBackend(RedisClient client, String keyPrefix) {
        this(client, keyPrefix, Clock.systemUTC());
    }

    /** Like {@link #RedisStorageBackend(RedisClient, String)}, stamping writes with {@code clock}. */
    public RedisStorageBackend(RedisClient client, String keyPrefix, Clock clock) {
        this(new RedisStore(client, null, keyPrefix, clock));
    }

    private RedisStorageBackend(RedisStore store) {
        super(store);
        this.keyPrefix = store.namespace();
    }

    /** The prefix in front of every Redis key this backend touches. */
    public String keyPrefix() {
        return keyPrefix;
    }

    private static RedisStore ownedStore(RedisURI uri, String keyPrefix, Clock clock) {
        RedisClient client = RedisClient.create(uri);
        try {
            return new RedisStore(client, client, keyPrefix, clock);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }
}

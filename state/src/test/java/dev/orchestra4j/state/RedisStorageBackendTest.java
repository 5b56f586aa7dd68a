package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class RedisStorageBackendTest extends StorageBackendContractTest {

    private static final String PREFIX = ExternalServices.uniqueName("o4j-test") + ":";
    private static RedisClient client;
    private static boolean reachable;

    @BeforeAll
    static void requireRedis() {
        RedisURI uri = RedisURI.create(ExternalServices.REDIS_URL);
        uri.setTimeout(Duration.ofSeconds(30));
        client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().ping();
            reachable = true;
        } catch (RedisException e) {
            client.shutdown();
            ExternalServices.unavailable("Redis", ExternalServices.REDIS_URL, e);
        }
    }

    @AfterAll
    static void removeKeysAndShutdown() {
        if (!reachable) {
            return;
        }
        try (StorageBackend cleaner = new RedisStorageBackend(client, PREFIX)) {
            cleaner.list("").forEach(cleaner::delete);
        } finally {
            client.shutdown();
        }
    }

    @Override
    StorageBackend createBackend(MutableClock clock) {
        return new RedisStorageBackend(client, PREFIX, clock);
    }

    @Override
    void flipJournalBit(String key, long sequence) {
        try (StatefulRedisConnection<String, byte[]> raw = rawConnection()) {
            String list = PREFIX + key + "~journal";
            long base = Long.parseLong(new String(raw.sync().hget(PREFIX + key + "~journal-head", "base"), UTF_8));
            long index = sequence - base - 1;
            byte[] element = raw.sync().lindex(list, index);
            element[12] ^= 1;
            raw.sync().lset(list, index, element);
        }
    }

    @Override
    void flipValueBit(String key, int index) {
        try (StatefulRedisConnection<String, byte[]> raw = rawConnection()) {
            byte[] value = raw.sync().hget(PREFIX + key, "value");
            value[index] ^= 1;
            raw.sync().hset(PREFIX + key, "value", value);
        }
    }

    private static StatefulRedisConnection<String, byte[]> rawConnection() {
        return client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    @Test
    void list_keysWithJournals_showsNoJournalStructures() {
        backend.write("k", bytes("v"));
        backend.appendJournal("k", 0, java.util.List.of(bytes("e")));

        assertThat(backend.list("")).containsExactly("k");
    }

    @Override
    String expectedName() {
        return "redis";
    }

    @Test
    void write_clockWithNanoseconds_storedAtMicrosecondPrecision() {
        clock.advance(Duration.ofNanos(1_234_567));

        backend.write("k", bytes("v"));

        assertThat(backend.read("k").orElseThrow().updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.001234Z"));
    }

    @Test
    void list_otherPrefixOnSameServer_invisible() {
        try (StorageBackend other = new RedisStorageBackend(client, PREFIX + "other:", clock)) {
            other.write("x", bytes("theirs"));
            backend.write("y", bytes("mine"));

            assertThat(other.list("")).containsExactly("x");
            other.delete("x");
        }
    }

    @Test
    void read_hashWithMissingFields_throwsStateExceptionNamingKey() {
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            raw.sync().hset(PREFIX + "broken", "value", "x");
        }

        assertThatThrownBy(() -> backend.read("broken"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'broken'");
    }

    @Test
    void constructor_emptyKeyPrefix_rejected() {
        assertThatThrownBy(() -> new RedisStorageBackend(client, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix must not be empty");
    }

    @Test
    void anyOperation_serverUnreachable_throwsStateException() {
        RedisURI nowhere = RedisURI.create("redis://127.0.0.1:1");
        nowhere.setTimeout(Duration.ofSeconds(2));

        assertThatThrownBy(() -> new RedisStorageBackend(nowhere, "x:"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("'x:'");
    }
}

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
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
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
        try (StorageBackend cleaner = new RedisStorageBackend(client, PREFIX);
                StatefulRedisConnection<String, String> raw = client.connect()) {
            cleaner.list("").forEach(cleaner::delete);
            raw.sync().del(PREFIX + "~indexed");
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

            assertThatThrownBy(() -> backend.read("broken"))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("'broken'");
            raw.sync().del(PREFIX + "broken"); // written behind the backend's back: not in its index
        }
    }

    @Test
    void constructor_emptyKeyPrefix_rejected() {
        assertThatThrownBy(() -> new RedisStorageBackend(client, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix must not be empty");
    }

    /** A client of its own that records the type of every command its connections send. */
    private static RedisClient recording(List<String> commands) {
        RedisURI uri = RedisURI.create(ExternalServices.REDIS_URL);
        uri.setTimeout(Duration.ofSeconds(30));
        RedisClient recording = RedisClient.create(uri);
        recording.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(String.valueOf(event.getCommand().getType()));
            }
        });
        return recording;
    }

    @Test
    void list_andExpire_readTheKeyIndex_neverScanTheDatabase() {
        List<String> commands = new CopyOnWriteArrayList<>();
        RedisClient recording = recording(commands);
        try (StorageBackend indexed = new RedisStorageBackend(recording, PREFIX, clock)) {
            indexed.write("sessions/a", bytes("a"));
            indexed.write("checkpoints/a/1", bytes("c"));
            indexed.list(""); // a namespace nobody listed before indexes what earlier versions wrote, once
            commands.clear();

            assertThat(indexed.list("sessions/")).containsExactly("sessions/a");
            assertThat(indexed.list("checkpoints/a/")).containsExactly("checkpoints/a/1");
            assertThat(indexed.expireOlderThan(Duration.ofDays(1))).isZero();

            assertThat(commands)
                    .as("a range of the index per list, each key's script per expiry: no SCAN, no KEYS")
                    .isNotEmpty()
                    .isSubsetOf("EVAL", "EVALSHA");
        } finally {
            recording.shutdown();
        }
    }

    @Test
    void list_anotherBackendOnAnIndexedNamespace_checksTheMarkerOnceAndNeverScans() {
        backend.write("k", bytes("v"));
        backend.list("");
        List<String> commands = new CopyOnWriteArrayList<>();
        RedisClient recording = recording(commands);
        try (StorageBackend second = new RedisStorageBackend(recording, PREFIX, clock)) {
            assertThat(second.list("")).containsExactly("k");
            assertThat(second.list("")).containsExactly("k");

            assertThat(commands).containsExactly("EXISTS", "EVAL", "EVAL");
        } finally {
            recording.shutdown();
        }
    }

    @Test
    void list_keysAnEarlierVersionWrote_areIndexedOnceThenListedWithoutScanning() {
        String legacy = ExternalServices.uniqueName("o4j-legacy") + ":";
        try (StorageBackend writer = new RedisStorageBackend(client, legacy, clock);
                StatefulRedisConnection<String, String> raw = client.connect()) {
            writer.write("sessions/a", bytes("a"));
            writer.write("sessions/b", bytes("b"));
            writer.appendJournal("sessions/c", 0, List.of(bytes("journal only")));
            // the layout of an earlier version: the same hashes and lists, no indexes, no marker
            raw.sync().del(legacy + "~keys", legacy + "~journals", legacy + "~indexed");
            List<String> commands = new CopyOnWriteArrayList<>();
            RedisClient recording = recording(commands);
            try (StorageBackend upgraded = new RedisStorageBackend(recording, legacy, clock)) {
                assertThat(upgraded.list("sessions/")).containsExactly("sessions/a", "sessions/b");
                assertThat(commands).contains("SCAN");
                assertThat(raw.sync().exists(legacy + "~indexed")).isOne();
                commands.clear();

                clock.advance(Duration.ofDays(2));
                assertThat(upgraded.expireOlderThan(Duration.ofDays(1)))
                        .as("the journal-only key was indexed too")
                        .isEqualTo(3);
                assertThat(upgraded.list("")).isEmpty();
                assertThat(commands).doesNotContain("SCAN");
            } finally {
                recording.shutdown();
            }
            assertThat(raw.sync().keys(legacy + "*")).containsExactly(legacy + "~indexed");
            raw.sync().del(legacy + "~indexed");
        }
    }

    @Test
    void indexes_afterEveryKindOfChange_holdExactlyTheKeysWithAValueOrAJournal() {
        backend.write("old", bytes("1"));
        backend.appendJournal("old-journal", 0, List.of(bytes("e")));
        clock.advance(Duration.ofHours(2));
        backend.write("w", bytes("1"));
        backend.compareAndSet("cas", 0, bytes("1"));
        backend.appendJournal("fenced", 0, List.of(bytes("e")));
        backend.compareAndSet("fenced", 0, bytes("1"), 1);
        backend.appendJournal("j", 0, List.of(bytes("e")));
        backend.write("deleted", bytes("1"));
        backend.delete("deleted");
        long version = backend.write("cad", bytes("1"));
        backend.compareAndDelete("cad", version);
        backend.write("w", bytes("2"));
        assertThat(backend.expireOlderThan(Duration.ofHours(1))).isEqualTo(2);
        backend.truncateJournal("fenced", 1);

        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(raw.sync().zrange(PREFIX + "~keys", 0, -1)).containsExactlyElementsOf(keysWith(raw, ""));
            assertThat(raw.sync().zrange(PREFIX + "~journals", 0, -1))
                    .containsExactlyElementsOf(keysWith(raw, "~journal-head"));
        }
        assertThat(backend.list("")).containsExactly("cas", "fenced", "w");
    }

    /** The keys of the namespace that have a Redis key with {@code suffix}, found the slow way. */
    private static List<String> keysWith(StatefulRedisConnection<String, String> raw, String suffix) {
        TreeSet<String> found = new TreeSet<>();
        for (String redisKey : raw.sync().keys(PREFIX + "*" + suffix)) {
            String key = redisKey.substring(PREFIX.length(), redisKey.length() - suffix.length());
            if (key.indexOf('~') < 0) {
                found.add(key);
            }
        }
        return List.copyOf(found);
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

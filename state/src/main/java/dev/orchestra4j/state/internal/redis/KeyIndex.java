package dev.orchestra4j.state.internal.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.orchestra4j.state.StateException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A namespace's two key indexes: sorted sets (score 0, ordered by the keys' bytes) of every key with a value ({@code
 * <namespace>~keys}) and of every key with a journal ({@code <namespace>~journals}), so that listing reads a range
 * ({@code ZRANGEBYLEX}) proportional to what it returns instead of scanning the database. The {@link Scripts} that
 * create or remove a value or a journal update them in the same step. {@code '~'} never occurs in a key, so neither
 * name can be a key's.
 *
 * <p>Keys written before the indexes existed (by an earlier version) are indexed once per namespace, on first use:
 * {@link #ensureBuilt}.
 */
final class KeyIndex {

    private static final int SCAN_BATCH = 500;
    private static final String KEYS = "~keys";
    private static final String JOURNALS = "~journals";
    /** Set once the keys written before the indexes existed were indexed. */
    static final String BUILT_MARKER = "~indexed";

    private final RedisCommands<String, byte[]> redis;
    private final String namespace;
    private final String keys;
    private final String journals;
    private volatile boolean built;

    KeyIndex(RedisCommands<String, byte[]> redis, String namespace) {
        this.redis = redis;
        this.namespace = namespace;
        this.keys = namespace + KEYS;
        this.journals = namespace + JOURNALS;
    }

    /** The Redis key of the index of keys with a value. */
    String keys() {
        return keys;
    }

    /** The Redis key of the index of keys with a journal. */
    String journals() {
        return journals;
    }

    /** The keys with a value that start with {@code prefix}, in order. */
    List<String> keysStartingWith(String prefix) {
        ensureBuilt();
        return range(keys, prefix);
    }

    /** Every key with a value or a journal, in order. */
    SortedSet<String> everyKey() {
        ensureBuilt();
        TreeSet<String> every = new TreeSet<>(range(keys, ""));
        every.addAll(range(journals, ""));
        return every;
    }

    private List<String> range(String index, String prefix) {
        byte[] lowest = prefix.isEmpty() ? utf8("-") : utf8("[" + prefix);
        byte[] highest = prefix.isEmpty() ? utf8("+") : Arrays.copyOf(lowest, lowest.length + 1);
        if (!prefix.isEmpty()) {
            highest[highest.length - 1] = (byte) 0xff; // above every byte of a key ([A-Za-z0-9._:/-])
        }
        String[] on = {index};
        List<Object> members = call(
                "list keys starting with '" + prefix + "'",
                () -> redis.<List<Object>>eval(Scripts.RANGE, ScriptOutputType.MULTI, on, lowest, highest));
        List<String> out = new ArrayList<>(members.size());
        for (Object member : members) {
            out.add(new String((byte[]) member, UTF_8));
        }
        return out;
    }

    /**
     * Indexes the keys written before the indexes existed, once per namespace: {@code SCAN}s the namespace, indexes
     * each key whose value or journal still exists (checked and added in one script, {@link Scripts#INDEX_EXISTING}:
     * a key deleted meanwhile, which leaves the indexes in the same step as its data, is not indexed again), then
     * sets the marker, after which no backend scans this namespace again. Backends building at once only index the
     * same keys twice; one that fails before the marker is set leaves the next one to build again. Keys that a
     * process of an earlier version writes after the marker is set are not indexed: upgrade every process sharing
     * the namespace together.
     */
    void ensureBuilt() {
        if (built) {
            return;
        }
        String marker = namespace + BUILT_MARKER;
        if (call("read the key index marker", () -> redis.exists(marker)) == 0) {
            scan();
            call("mark the key index built", () -> redis.set(marker, utf8("1")));
        }
        built = true;
    }

    private void scan() {
        ScanArgs args = ScanArgs.Builder.matches(namespace + "*").limit(SCAN_BATCH);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<String> page = call("scan the keys to index", () -> redis.scan(from, args));
            TreeSet<String> found = new TreeSet<>();
            for (String redisKey : page.getKeys()) {
                String key = keyOf(redisKey);
                if (key != null) {
                    found.add(key);
                }
            }
            if (!found.isEmpty()) {
                indexExisting(found);
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    private void indexExisting(SortedSet<String> found) {
        String[] on = new String[2 + 2 * found.size()];
        byte[][] args = new byte[found.size()][];
        on[0] = keys;
        on[1] = journals;
        int i = 0;
        for (String key : found) {
            on[2 + 2 * i] = namespace + key;
            on[3 + 2 * i] = namespace + key + RedisStore.HEAD_SUFFIX;
            args[i++] = utf8(key);
        }
        call("index existing keys", () -> redis.<Long>eval(Scripts.INDEX_EXISTING, ScriptOutputType.INTEGER, on, args));
    }

    /** The key behind a Redis key of this namespace, a value's hash or a journal's head; else null. */
    private @org.jspecify.annotations.Nullable String keyOf(String redisKey) {
        if (!redisKey.startsWith(namespace)) {
            return null;
        }
        String rest = redisKey.substring(namespace.length());
        if (rest.endsWith(RedisStore.HEAD_SUFFIX)) {
            rest = rest.substring(0, rest.length() - RedisStore.HEAD_SUFFIX.length());
        }
        return rest.indexOf('~') < 0 && !rest.isEmpty() ? rest : null;
    }

    private <T> T call(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StateException("Cannot " + operation + " in Redis (prefix '" + namespace + "')", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }
}

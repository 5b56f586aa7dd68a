package dev.orchestra4j.state.internal.redis;

/**
 * The Lua scripts; each runs atomically on the Redis server. Every script that creates or removes a key's value or
 * journal head also adds it to or takes it out of the namespace's indexes (sorted sets, score 0, ordered by the key's
 * bytes) in the same step, so that an index never disagrees with the data it lists.
 */
final class Scripts {

    static final String VALUE = "value";
    static final String VERSION = "version";
    static final String UPDATED = "updated";

    /** KEYS = value, key index; ARGV = value, updated, key. Returns the new version. */
    static final String WRITE = """
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            redis.call('HSET', KEYS[1], 'value', ARGV[1], 'updated', ARGV[2])
            redis.call('ZADD', KEYS[2], 0, ARGV[3])
            return version
            """;

    /**
     * KEYS = value, key index; ARGV = expected version, value, updated, key. Returns the new version or -1 on
     * conflict.
     */
    static final String COMPARE_AND_SET = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if current ~= tonumber(ARGV[1]) then
              return -1
            end
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            redis.call('HSET', KEYS[1], 'value', ARGV[2], 'updated', ARGV[3])
            redis.call('ZADD', KEYS[2], 0, ARGV[4])
            return version
            """;

    /**
     * KEYS = value, journal head, key index; ARGV = expected version, expected last sequence, value, updated, key.
     * Like {@link
     * #COMPARE_AND_SET}, fenced by the journal's last sequence (the head's {@code last}, kept by truncation). Returns
     * the new version, {@code -1} when the version differs, or {@code -2 - last} when the journal's last sequence does.
     */
    static final String FENCED_COMPARE_AND_SET = """
            local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
            if last ~= tonumber(ARGV[2]) then
              return -2 - last
            end
            local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if current ~= tonumber(ARGV[1]) then
              return -1
            end
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            redis.call('HSET', KEYS[1], 'value', ARGV[3], 'updated', ARGV[4])
            redis.call('ZADD', KEYS[3], 0, ARGV[5])
            return version
            """;

    /**
     * KEYS = value, journal list, journal head, key index, journal index; ARGV = key. Deletes the key with its journal
     * and takes it out of both indexes. Returns how many of the three Redis keys existed.
     */
    static final String DELETE = """
            local deleted = redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
            redis.call('ZREM', KEYS[4], ARGV[1])
            redis.call('ZREM', KEYS[5], ARGV[1])
            return deleted
            """;

    /**
     * KEYS = value, journal list, journal head, key index, journal index; ARGV = expected version, key. Like {@link
     * #DELETE} if the value has that version.
     */
    static final String DELETE_IF_VERSION = """
            if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') == tonumber(ARGV[1]) then
              redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
              redis.call('ZREM', KEYS[4], ARGV[2])
              redis.call('ZREM', KEYS[5], ARGV[2])
              return 1
            end
            return 0
            """;

    /**
     * KEYS = value, journal list, journal head, key index, journal index; ARGV = cutoff, key. Like {@link #DELETE} if
     * neither the value nor the journal was written at or after the cutoff. A key with neither (removed behind the
     * backend's back) only leaves the indexes.
     */
    static final String DELETE_IF_OLDER = """
            local value = redis.call('HGET', KEYS[1], 'updated')
            local head = redis.call('HGET', KEYS[3], 'updated')
            local cutoff = tonumber(ARGV[1])
            if (value and tonumber(value) >= cutoff) or (head and tonumber(head) >= cutoff) then
              return 0
            end
            redis.call('ZREM', KEYS[4], ARGV[2])
            redis.call('ZREM', KEYS[5], ARGV[2])
            if not value and not head then
              return 0
            end
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
            return 1
            """;

    /**
     * KEYS = journal list, journal head, journal index; ARGV = expected last sequence, new last sequence, updated,
     * key, then the encoded entries. Returns the new last sequence, or {@code -1 - current} when the fence does not
     * match.
     */
    static final String APPEND_JOURNAL = """
            local current = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
            if current ~= tonumber(ARGV[1]) then
              return -1 - current
            end
            for i = 5, #ARGV do
              redis.call('RPUSH', KEYS[1], ARGV[i])
            end
            redis.call('HSETNX', KEYS[2], 'base', '0')
            redis.call('HSET', KEYS[2], 'last', ARGV[2], 'updated', ARGV[3])
            redis.call('ZADD', KEYS[3], 0, ARGV[4])
            return tonumber(ARGV[2])
            """;

    /** KEYS = journal list, journal head; ARGV[1] = after sequence. Returns the entries after it. */
    static final String READ_JOURNAL = """
            local base = tonumber(redis.call('HGET', KEYS[2], 'base') or '-1')
            if base < 0 then
              return {}
            end
            return redis.call('LRANGE', KEYS[1], math.max(tonumber(ARGV[1]) - base, 0), -1)
            """;

    /** KEYS = journal list, journal head; ARGV[1] = through sequence. Drops the entries up to it. */
    static final String TRUNCATE_JOURNAL = """
            local base = tonumber(redis.call('HGET', KEYS[2], 'base') or '-1')
            if base < 0 then
              return 0
            end
            local through = math.min(tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[2], 'last')))
            if through <= base then
              return 0
            end
            redis.call('LTRIM', KEYS[1], through - base, -1)
            redis.call('HSET', KEYS[2], 'base', through)
            return 1
            """;

    /** KEYS[1] = an index; ARGV = lowest, highest (ZRANGEBYLEX bounds). Returns the keys between them, in order. */
    static final String RANGE = """
            return redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2])
            """;

    /**
     * The one-time backfill of keys written before the indexes existed. KEYS = key index, journal index, then for
     * each key its value and its journal head; ARGV = the keys. Indexes each key whose value or journal head exists
     * now: checked and added in one step, so that a key deleted meanwhile (which leaves the indexes in the same step
     * as its data) is not indexed again. Returns how many keys it indexed.
     */
    static final String INDEX_EXISTING = """
            local indexed = 0
            for i = 1, #ARGV do
              local found = false
              if redis.call('EXISTS', KEYS[1 + 2 * i]) == 1 then
                redis.call('ZADD', KEYS[1], 0, ARGV[i])
                found = true
              end
              if redis.call('EXISTS', KEYS[2 + 2 * i]) == 1 then
                redis.call('ZADD', KEYS[2], 0, ARGV[i])
                found = true
              end
              if found then
                indexed = indexed + 1
              end
            end
            return indexed
            """;

    private Scripts() {}
}

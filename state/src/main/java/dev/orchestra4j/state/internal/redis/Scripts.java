package dev.orchestra4j.state.internal.redis;

/** The Lua scripts; each runs atomically on the Redis server. */
final class Scripts {

    static final String VALUE = "value";
    static final String VERSION = "version";
    static final String UPDATED = "updated";

    /** KEYS[1] = key; ARGV = value, updated. Returns the new version. */
    static final String WRITE = """
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            redis.call('HSET', KEYS[1], 'value', ARGV[1], 'updated', ARGV[2])
            return version
            """;

    /** KEYS[1] = key; ARGV = expected version, value, updated. Returns the new version or -1 on conflict. */
    static final String COMPARE_AND_SET = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if current ~= tonumber(ARGV[1]) then
              return -1
            end
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            redis.call('HSET', KEYS[1], 'value', ARGV[2], 'updated', ARGV[3])
            return version
            """;

    /**
     * KEYS = value, journal head; ARGV = expected version, expected last sequence, value, updated. Like {@link
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
            return version
            """;

    /**
     * KEYS = value, journal list, journal head; ARGV[1] = expected version. Deletes the key with its
     * journal if the value has that version.
     */
    static final String DELETE_IF_VERSION = """
            if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') == tonumber(ARGV[1]) then
              redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
              return 1
            end
            return 0
            """;

    /**
     * KEYS = value, journal list, journal head; ARGV[1] = cutoff. Deletes the key with its journal if
     * neither the value nor the journal was written at or after the cutoff.
     */
    static final String DELETE_IF_OLDER = """
            local value = redis.call('HGET', KEYS[1], 'updated')
            local head = redis.call('HGET', KEYS[3], 'updated')
            local cutoff = tonumber(ARGV[1])
            if (not value and not head) or (value and tonumber(value) >= cutoff)
                or (head and tonumber(head) >= cutoff) then
              return 0
            end
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
            return 1
            """;

    /**
     * KEYS = journal list, journal head; ARGV = expected last sequence, new last sequence, updated, then the
     * encoded entries. Returns the new last sequence, or {@code -1 - current} when the fence does not match.
     */
    static final String APPEND_JOURNAL = """
            local current = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
            if current ~= tonumber(ARGV[1]) then
              return -1 - current
            end
            for i = 4, #ARGV do
              redis.call('RPUSH', KEYS[1], ARGV[i])
            end
            redis.call('HSETNX', KEYS[2], 'base', '0')
            redis.call('HSET', KEYS[2], 'last', ARGV[2], 'updated', ARGV[3])
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

    private Scripts() {}
}

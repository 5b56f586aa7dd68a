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

    /** KEYS[1] = key; ARGV[1] = expected version. Deletes the key if it has that version. */
    static final String DELETE_IF_VERSION = """
            if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') == tonumber(ARGV[1]) then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /** KEYS[1] = key; ARGV[1] = cutoff. Deletes the key if it was last written before the cutoff. */
    static final String DELETE_IF_OLDER = """
            local updated = tonumber(redis.call('HGET', KEYS[1], 'updated') or '')
            if updated ~= nil and updated < tonumber(ARGV[1]) then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private Scripts() {}
}

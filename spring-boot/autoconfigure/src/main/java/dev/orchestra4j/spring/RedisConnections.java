package dev.orchestra4j.spring;

import dev.orchestra4j.state.RedisStorageBackend;
import dev.orchestra4j.state.StorageBackend;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Redis storage on the application's Lettuce connection factory (Spring Data Redis) or on a URI of its own. Loaded only
 * when Lettuce is on the class path.
 */
final class RedisConnections {

    private static final String FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";
    private static final String PREFIX = OrchestraProperties.PREFIX + ".storage.redis";

    private RedisConnections() {}

    static boolean hasFactory(ConfigurableListableBeanFactory beans) {
        return ClassUtils.isPresent(FACTORY, beans.getBeanClassLoader()) && SpringData.factoryNames(beans).length > 0;
    }

    static StorageBackend backend(StorageProperties.Redis redis, ConfigurableListableBeanFactory beans) {
        if (redis.getUri() != null) {
            RedisURI uri;
            try {
                uri = RedisURI.create(redis.getUri());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(PREFIX + ".uri: " + e.getMessage(), e);
            }
            return new RedisStorageBackend(uri, redis.getKeyPrefix());
        }
        if (!hasFactory(beans)) {
            throw new IllegalStateException(OrchestraProperties.PREFIX
                    + ".storage.type=redis needs a LettuceConnectionFactory bean (spring-boot-starter-data-redis) or "
                    + PREFIX + ".uri");
        }
        AbstractRedisClient client = SpringData.nativeClient(beans);
        if (!(client instanceof RedisClient standalone)) {
            throw new IllegalStateException("Redis storage works with a standalone Redis; the application's connection"
                    + " factory uses " + client.getClass().getSimpleName() + ": set " + PREFIX + ".uri");
        }
        return new RedisStorageBackend(standalone, redis.getKeyPrefix());
    }

    /** Touches Spring Data Redis types; loaded only when they are present. */
    private static final class SpringData {

        static String[] factoryNames(ListableBeanFactory beans) {
            return beans.getBeanNamesForType(
                    org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.class);
        }

        static AbstractRedisClient nativeClient(ListableBeanFactory beans) {
            var factory = beans.getBeanProvider(
                            org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.class)
                    .getIfUnique();
            if (factory == null) {
                throw new IllegalStateException(
                        "several LettuceConnectionFactory beans and none is primary: set " + PREFIX + ".uri");
            }
            return factory.getRequiredNativeClient();
        }
    }
}

package dev.orchestra4j.spring;

import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/** Picks the {@link StorageBackend} that {@code orchestra4j.storage.type} asks for. */
final class StorageSelection {

    private static final String TYPE = OrchestraProperties.PREFIX + ".storage.type";

    private StorageSelection() {}

    static StorageBackend backend(StorageProperties storage, ConfigurableListableBeanFactory beans) {
        return switch (storage.getType()) {
            case AUTO -> auto(storage, beans);
            case JDBC -> jdbc(storage, beans);
            case REDIS -> redis(storage, beans);
            case FILE ->
                new FileStorageBackend(Objects.requireNonNull(
                        storage.getFile().getPath(), OrchestraProperties.PREFIX + ".storage.file.path"));
            case MEMORY -> StorageBackends.inMemory();
        };
    }

    private static StorageBackend auto(StorageProperties storage, ConfigurableListableBeanFactory beans) {
        if (beans.getBeanNamesForType(DataSource.class).length > 0) {
            return jdbc(storage, beans);
        }
        if (lettucePresent(beans) && RedisConnections.hasFactory(beans)) {
            return RedisConnections.backend(storage.getRedis(), beans);
        }
        return StorageBackends.inMemory();
    }

    private static StorageBackend jdbc(StorageProperties storage, ConfigurableListableBeanFactory beans) {
        DataSource dataSource = beans.getBeanProvider(DataSource.class).getIfUnique();
        if (dataSource == null) {
            String[] names = beans.getBeanNamesForType(DataSource.class);
            throw new IllegalStateException(
                    TYPE + "=" + storage.getType().name().toLowerCase(Locale.ROOT)
                            + " needs exactly one (or one primary) DataSource bean, found "
                            + (names.length == 0 ? "none" : String.join(", ", names)));
        }
        return new JdbcStorageBackend(dataSource, storage.getJdbc().getTable());
    }

    private static StorageBackend redis(StorageProperties storage, ConfigurableListableBeanFactory beans) {
        if (!lettucePresent(beans)) {
            throw new IllegalStateException(TYPE + "=redis needs io.lettuce:lettuce-core on the class path");
        }
        return RedisConnections.backend(storage.getRedis(), beans);
    }

    private static boolean lettucePresent(ConfigurableListableBeanFactory beans) {
        return ClassUtils.isPresent("io.lettuce.core.RedisClient", beans.getBeanClassLoader());
    }
}

package dev.orchestra4j.spring;

import static dev.orchestra4j.spring.Runners.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.RedisStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

final class StorageConfigurationTest {

    private final ApplicationContextRunner runner = Runners.orchestra().withUserConfiguration(Runners.EchoApp.class);

    @Test
    void storage_autoWithoutDataSourceOrRedis_isMemory() {
        runner.run(context -> {
            assertThat(context.getBean(StorageBackend.class).name()).isEqualTo("memory");
            assertSessionIsStored(context);
        });
    }

    @Test
    void storage_autoWithDataSource_isJdbcOnTheApplicationsDataSource() throws Exception {
        PGSimpleDataSource dataSource = ExternalServices.postgres();
        String table = ExternalServices.uniqueName("o4j_spring");
        try {
            runner.withBean(DataSource.class, () -> dataSource)
                    .withPropertyValues("orchestra4j.storage.jdbc.table=" + table)
                    .run(context -> {
                        assertThat(context.getBean(StorageBackend.class))
                                .isInstanceOfSatisfying(JdbcStorageBackend.class, b -> assertThat(b.table())
                                        .isEqualTo(table));
                        assertSessionIsStored(context);
                    });
        } finally {
            ExternalServices.dropTable(dataSource, table);
        }
    }

    @Test
    void storage_jdbcWithoutDataSource_failsNamingTheTypeProperty() {
        runner.withPropertyValues("orchestra4j.storage.type=jdbc").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context))
                    .contains("orchestra4j.storage.type=jdbc needs exactly one (or one primary) DataSource bean,"
                            + " found none");
        });
    }

    @Test
    void storage_badTableName_failsValidation() {
        runner.withPropertyValues("orchestra4j.storage.jdbc.table=drop table x;")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context)).contains("orchestra4j.storage.jdbc.table: expected [schema.]table");
                });
    }

    @Test
    void storage_file_writesUnderThePath(@TempDir Path dir) {
        runner.withPropertyValues("orchestra4j.storage.type=file", "orchestra4j.storage.file.path=" + dir)
                .run(context -> {
                    assertThat(context.getBean(StorageBackend.class))
                            .isInstanceOfSatisfying(FileStorageBackend.class, b -> assertThat(b.root())
                                    .isEqualTo(dir));
                    assertSessionIsStored(context);
                    assertThat(dir).isNotEmptyDirectory();
                });
    }

    @Test
    void storage_fileWithoutPath_failsNamingThePathProperty() {
        runner.withPropertyValues("orchestra4j.storage.type=file").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context))
                    .contains("orchestra4j.storage.file.path: required when orchestra4j.storage.type=file");
        });
    }

    @Test
    void storage_stateManagerProperties_areAppliedAndValidated() {
        runner.withPropertyValues(
                        "orchestra4j.storage.max-checkpoints-per-session=3",
                        "orchestra4j.storage.compression=true",
                        "orchestra4j.storage.retention=1d")
                .run(context -> {
                    StateManager manager = context.getBean(StateManager.class);
                    assertThat(manager.maxCheckpointsPerSession()).isEqualTo(3);
                    assertThat(manager.isCompressionEnabled()).isTrue();
                    assertThat(manager.retention()).contains(Duration.ofDays(1));
                });
        runner.withPropertyValues("orchestra4j.storage.max-checkpoints-per-session=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.storage.max-checkpoints-per-session: maxCheckpointsPerSession must"
                                    + " be positive, was 0");
                });
    }

    @Test
    void storage_disabled_instanceRunsWithoutStateManager() {
        runner.withPropertyValues("orchestra4j.storage.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(StateManager.class).doesNotHaveBean(StorageBackend.class);
            assertThat(context.getBean(OrchestraInstance.class).execute("x").success())
                    .isTrue();
        });
    }

    @Test
    void storage_userStateManager_backsOffEntirely() {
        StateManager mine = new StateManager(StorageBackends.inMemory());
        runner.withBean(StateManager.class, () -> mine).run(context -> {
            assertThat(context.getBean(StateManager.class)).isSameAs(mine);
            assertThat(context).doesNotHaveBean(StorageBackend.class);
            assertSessionIsStored(context);
        });
    }

    @Test
    void storage_userBackend_isWrappedByTheAutoConfiguredStateManager() {
        StorageBackend mine = StorageBackends.inMemory();
        runner.withBean(StorageBackend.class, () -> mine)
                .run(context -> assertThat(context.getBean(StateManager.class).backend())
                        .isSameAs(mine));
    }

    @Test
    void storage_autoWithLettuceConnectionFactory_isRedisOnTheApplicationsClient() {
        RedisURI uri = redis();
        String prefix = ExternalServices.uniqueName("o4j-spring") + ":";
        runner.withBean(
                        LettuceConnectionFactory.class,
                        () -> new LettuceConnectionFactory(
                                new RedisStandaloneConfiguration(uri.getHost(), uri.getPort())))
                .withPropertyValues("orchestra4j.storage.redis.key-prefix=" + prefix)
                .run(context -> {
                    assertThat(context.getBean(StorageBackend.class))
                            .isInstanceOfSatisfying(RedisStorageBackend.class, b -> assertThat(b.keyPrefix())
                                    .isEqualTo(prefix));
                    assertSessionIsStored(context);
                });
    }

    @Test
    void storage_autoAfterBootsRedisAutoConfiguration_isRedis() {
        RedisURI uri = redis();
        String prefix = ExternalServices.uniqueName("o4j-spring") + ":";
        runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "spring.data.redis.host=" + uri.getHost(),
                        "spring.data.redis.port=" + uri.getPort(),
                        "orchestra4j.storage.redis.key-prefix=" + prefix)
                .run(context -> {
                    assertThat(context.getBean(StorageBackend.class).name()).isEqualTo("redis");
                    assertSessionIsStored(context);
                });
    }

    @Test
    void storage_redisUri_usesAClientOfItsOwn() {
        redis();
        String prefix = ExternalServices.uniqueName("o4j-spring") + ":";
        runner.withPropertyValues(
                        "orchestra4j.storage.type=redis",
                        "orchestra4j.storage.redis.uri=" + ExternalServices.REDIS_URL,
                        "orchestra4j.storage.redis.key-prefix=" + prefix)
                .run(context -> {
                    assertThat(context.getBean(StorageBackend.class).name()).isEqualTo("redis");
                    assertSessionIsStored(context);
                });
    }

    @Test
    void storage_withoutLettuceOnTheClassPath_autoIsMemoryAndRedisFailsNamingTheLibrary() {
        ApplicationContextRunner noRedis =
                runner.withClassLoader(new FilteredClassLoader("io.lettuce", "org.springframework.data.redis"));
        noRedis.run(context ->
                assertThat(context.getBean(StorageBackend.class).name()).isEqualTo("memory"));
        noRedis.withPropertyValues("orchestra4j.storage.type=redis").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context))
                    .contains("orchestra4j.storage.type=redis needs io.lettuce:lettuce-core on the class path");
        });
    }

    @Test
    void storage_redisWithoutConnection_failsNamingTheUriProperty() {
        runner.withPropertyValues("orchestra4j.storage.type=redis").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context))
                    .contains("orchestra4j.storage.type=redis needs a LettuceConnectionFactory bean")
                    .contains("orchestra4j.storage.redis.uri");
        });
    }

    /** Runs a session and reads it back from storage, then deletes it. */
    private static void assertSessionIsStored(AssertableApplicationContext context) {
        OrchestraResult result = context.getBean(OrchestraInstance.class).execute("stored?");
        StateManager manager = context.getBean(StateManager.class);
        try {
            assertThat(manager.loadSession(result.sessionId())).isPresent();
        } finally {
            manager.deleteSession(result.sessionId());
        }
    }

    private static RedisURI redis() {
        RedisURI uri = RedisURI.create(ExternalServices.REDIS_URL);
        RedisClient client = RedisClient.create(uri);
        try (var connection = client.connect()) {
            connection.sync().ping();
        } catch (RuntimeException e) {
            ExternalServices.unavailable("Redis", ExternalServices.REDIS_URL, e);
        } finally {
            client.shutdown();
        }
        return uri;
    }
}

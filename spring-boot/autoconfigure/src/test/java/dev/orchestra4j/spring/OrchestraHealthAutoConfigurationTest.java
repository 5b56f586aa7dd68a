package dev.orchestra4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

final class OrchestraHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = Runners.orchestra().withUserConfiguration(Runners.EchoApp.class);

    @Test
    void health_storageAnswers_upWithSessionCounts() {
        runner.run(context -> {
            context.getBean(dev.orchestra4j.core.OrchestraInstance.class).execute("x");
            Health health = context.getBean(OrchestraHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("storage", "memory")
                    .containsEntry("sessions.running", 0L)
                    .containsEntry("sessions.waiting", 0L)
                    .containsEntry("sessions.paused", 0L);
        });
    }

    @Test
    void health_storageUnreachable_down() {
        runner.withBean(StorageBackend.class, OrchestraHealthAutoConfigurationTest::unreachable)
                .run(context -> {
                    Health health =
                            context.getBean(OrchestraHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("error").toString()).contains("connection refused");
                });
    }

    @Test
    void health_disabledByManagementProperty_absent() {
        runner.withPropertyValues("management.health.orchestra4j.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(OrchestraHealthIndicator.class));
    }

    @Test
    void health_withoutSpringBootHealthOnTheClassPath_absentAndStartupSucceeds() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(dev.orchestra4j.core.OrchestraInstance.class)
                        .doesNotHaveBean(OrchestraHealthIndicator.class));
    }

    @Test
    void health_withoutInstance_absent() {
        Runners.orchestra().run(context -> assertThat(context).doesNotHaveBean(OrchestraHealthIndicator.class));
    }

    @Test
    void health_userIndicator_backsOff() {
        OrchestraHealthIndicator mine = new OrchestraHealthIndicator(null, null);
        runner.withBean("orchestra4jHealthIndicator", OrchestraHealthIndicator.class, () -> mine)
                .run(context -> assertThat(context.getBean(OrchestraHealthIndicator.class))
                        .isSameAs(mine));
    }

    /** A backend whose reads fail, as when the database is down (a proxy, so new SPI methods need no change). */
    private static StorageBackend unreachable() {
        StorageBackend memory = StorageBackends.inMemory();
        return (StorageBackend) Proxy.newProxyInstance(
                StorageBackend.class.getClassLoader(), new Class<?>[] {StorageBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("read")) {
                        throw new IllegalStateException("connection refused");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

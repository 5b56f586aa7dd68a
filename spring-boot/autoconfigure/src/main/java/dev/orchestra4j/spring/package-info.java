/**
 * Spring Boot auto-configuration for Orchestra4j: an {@code AgentRegistry} from {@code Agent} beans and
 * {@code orchestra4j.agents.*}, topologies from {@code Topology} beans and {@code orchestra4j.topologies.*}, a
 * {@code StateManager} on the application's {@code DataSource} or Redis connection, an {@code OrchestraInstance} that is
 * drained on shutdown, metrics on the application's {@code MeterRegistry} and an actuator health indicator. Every bean
 * backs off when the application defines its own; every property is typed and validated at startup.
 */
@NullMarked
package dev.orchestra4j.spring;

import org.jspecify.annotations.NullMarked;

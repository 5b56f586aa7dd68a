package dev.orchestra4j.spring;

import dev.orchestra4j.core.OrchestraInstance;

/**
 * Adjusts the auto-configured {@link OrchestraInstance} before it is built: every bean of this type is applied, in
 * {@code @Order}, after the properties, listeners and interceptors have been set.
 */
@FunctionalInterface
public interface OrchestraInstanceCustomizer {

    void customize(OrchestraInstance.Builder builder);
}

package dev.orchestra4j.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the topology node an {@code Agent} bean plays, on the bean's class or on its {@code @Bean} method. Without it
 * the node name is the {@code LlmAgent}'s own name, else the bean name.
 *
 * <pre>{@code
 * @Bean
 * @OrchestraAgent("Researcher")
 * Agent researcher() {
 *     return request -> AgentResponse.finish("facts about " + request.input());
 * }
 * }</pre>
 *
 * <p>A prototype-scoped agent bean is registered as a factory: every branch that reaches the node gets its own instance.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OrchestraAgent {

    /** The node name in the topology. */
    String value();
}

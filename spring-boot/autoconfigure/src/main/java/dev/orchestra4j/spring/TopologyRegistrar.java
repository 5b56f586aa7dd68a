package dev.orchestra4j.spring;

import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/** Registers a {@link Topology} bean for each {@code orchestra4j.topologies.<name>}. */
final class TopologyRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware {

    private static final String PREFIX = OrchestraProperties.PREFIX + ".topologies";

    private Environment environment;
    private ResourceLoader resources = new DefaultResourceLoader();

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resources = resourceLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, TopologyProperties> topologies = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, TopologyProperties.class))
                .orElse(Map.of());
        topologies.forEach((name, properties) -> {
            if (registry.containsBeanDefinition(name)) {
                throw new IllegalStateException(
                        PREFIX + "." + name + ": the application already has a bean named '" + name + "'");
            }
            RootBeanDefinition definition =
                    new RootBeanDefinition(Topology.class, () -> load(name, properties, resources));
            registry.registerBeanDefinition(name, definition);
        });
    }

    static Topology load(String name, TopologyProperties properties, ResourceLoader resources) {
        String property = PREFIX + "." + name;
        try {
            String location = properties.getResource();
            if (location == null) {
                return Topology.fromMap(properties.toMap());
            }
            Resource resource = resources.getResource(location);
            if (!resource.exists()) {
                throw new IllegalStateException(property + ".resource: '" + location + "' does not exist");
            }
            String text;
            try (InputStream in = resource.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return location.toLowerCase(Locale.ROOT).endsWith(".json")
                    ? Topology.fromJson(text)
                    : Topology.fromYaml(text);
        } catch (TopologyException e) {
            throw new IllegalStateException(property + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(property + ".resource: cannot read '" + properties.getResource() + "'", e);
        }
    }
}

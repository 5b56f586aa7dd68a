package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User objects in snapshots: {@code {"@type": "com.example.Order", "@value": {...}}}, so that a record, enum or POJO
 * in the context, an input or an output comes back as itself after a resume in another JVM instead of as a Map.
 *
 * <p>Only classes that are safe to bind are ever named or loaded: records, enums and concrete classes outside the
 * JDK's own packages, loaded without running their static initialisers; Jackson's bean deserialiser also refuses its
 * known gadget types. A class that the resuming JVM does not have comes back as plain JSON types (logged at DEBUG).
 */
final class TypedValueCodec {

    private static final Logger LOG = LoggerFactory.getLogger(TypedValueCodec.class);
    static final String TYPE = "@type";
    static final String VALUE = "@value";
    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private TypedValueCodec() {}

    /** Whether {@code name} is in one of the JDK's own packages. */
    static boolean isJdk(String name) {
        return JDK_PACKAGES.stream().anyMatch(name::startsWith);
    }

    static boolean hasStringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** Plain JSON for JSON-shaped values; a typed wrapper for user objects. */
    static JsonNode encode(ObjectMapper mapper, Object value) {
        if (value instanceof CharSequence
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof JsonNode
                || !isBindable(value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass())) {
            return mapper.valueToTree(value);
        }
        Class<?> type = value instanceof Enum<?> constant ? constant.getDeclaringClass() : value.getClass();
        ObjectNode typed = mapper.createObjectNode();
        typed.put(TYPE, type.getName());
        typed.set(VALUE, mapper.valueToTree(value));
        return typed;
    }

    static boolean isTyped(JsonNode node) {
        return node.isObject() && node.size() == 2 && node.path(TYPE).isTextual() && node.has(VALUE);
    }

    static @Nullable Object decode(ObjectMapper mapper, JsonNode node) {
        String name = node.get(TYPE).asText();
        JsonNode value = node.get(VALUE);
        Class<?> jdk = JdkValues.named(name);
        if (jdk != null) {
            if (!value.isTextual()) {
                throw new IllegalStateException("stored value of type '" + name + "' is not text: " + value);
            }
            return JdkValues.read(jdk, value.asText());
        }
        Class<?> type = load(name);
        try {
            if (type == null) {
                return mapper.treeToValue(value, Object.class);
            }
            return mapper.treeToValue(value, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "stored value of type '" + name + "' cannot be read back: " + e.getMessage(), e);
        }
    }

    private static @Nullable Class<?> load(String name) {
        if (isJdk(name)) {
            throw new IllegalStateException(
                    "stored value names type '" + name + "', which is never bound from storage");
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type =
                    Class.forName(name, false, loader != null ? loader : TypedValueCodec.class.getClassLoader());
            if (!isBindable(type)) {
                throw new IllegalStateException(
                        "stored value names type '" + name + "', which is not a record, enum or" + " concrete class");
            }
            return type;
        } catch (ClassNotFoundException e) {
            LOG.debug("stored value type '{}' is not on this JVM's class path; reading it as plain JSON", name);
            return null;
        }
    }

    private static boolean isBindable(Class<?> type) {
        if (type.isRecord() || type.isEnum()) {
            return true;
        }
        if (type.isAnonymousClass() || type.isSynthetic() || type.isArray() || type.isInterface()) {
            return false;
        }
        if (Modifier.isAbstract(type.getModifiers())
                || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
            return false;
        }
        String name = type.getName();
        return !isJdk(name) && !name.startsWith("dev.orchestra4j.");
    }
}

package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Code is not a run value: a lambda or method reference, or an anonymous class with no properties, anywhere in a value
 * stored with a session (a record's field too) is refused when written. {@code FAIL_ON_EMPTY_BEANS} lets them through:
 * Jackson counts the {@code @FunctionalInterface} on the interface such a class implements as an annotation of the
 * class and writes it as {@code {}}, which would come back as an empty map after a restart.
 */
final class CodeValues extends Serializers.Base {

    private CodeValues() {}

    /** The module that makes {@link SnapshotValues#MAPPER} refuse code. */
    static Module module() {
        return new SimpleModule("orchestra4j-code-values") {
            @Override
            public void setupModule(SetupContext context) {
                context.addSerializers(new CodeValues());
            }
        };
    }

    private static final String DATA = "";
    private static final String ANONYMOUS = "anonymous";

    /**
     * What each class is, once: {@link #DATA}, {@link #ANONYMOUS} (code when it has no properties), or what code it is.
     * Jackson asks {@link #findSerializer} on every write of some types (its serializers for them are not cached), and
     * {@code isAnonymousClass} allocates.
     */
    private static final ClassValue<String> KIND = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            if (type.isSynthetic() || type.isHidden()) {
                return "a lambda or method reference" + implementing(type);
            }
            return type.isAnonymousClass() ? ANONYMOUS : DATA;
        }
    };

    /** What {@code type} is when it is code (a lambda or method reference), or null. */
    static @Nullable String describe(Class<?> type) {
        String kind = KIND.get(type);
        return kind == DATA || kind == ANONYMOUS ? null : kind;
    }

    @Override
    public @Nullable JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription bean) {
        Class<?> raw = type.getRawClass();
        String kind = KIND.get(raw);
        if (kind == DATA) {
            return null;
        }
        if (kind == ANONYMOUS) {
            return bean.findProperties().isEmpty()
                    ? new Refusal("an anonymous " + raw.getName() + implementing(raw) + " with no properties")
                    : null;
        }
        return new Refusal(kind);
    }

    /** Why a value that is code cannot be stored. */
    static String why(String code) {
        return code + " would come back as an empty map after a restart: it is code, not data; store the data it works"
                + " on and keep the code in an agent";
    }

    private static String implementing(Class<?> type) {
        Class<?>[] interfaces = type.getInterfaces();
        return interfaces.length == 0 ? "" : " implementing " + interfaces[0].getName();
    }

    /** Fails when asked to write a value {@link CodeValues} refused, naming what it is. */
    private static final class Refusal extends StdSerializer<Object> {

        private final String code;

        Refusal(String code) {
            super(Object.class);
            this.code = code;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.reportMappingProblem(why(code));
        }
    }
}

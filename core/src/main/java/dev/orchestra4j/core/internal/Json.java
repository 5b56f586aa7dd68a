package dev.orchestra4j.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one Jackson mapper core uses for rendering values and results. */
public final class Json {

    /**
     * Blackbird is registered by name (not only found on the class path): it reads a record's or bean's properties
     * through generated lambdas instead of reflective calls, which were a sixth of a journaled step's cost.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .findAndRegisterModules()
            .registerModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule());

    private Json() {}

    /** Writes {@code value} as compact JSON, falling back to {@code toString()} for values Jackson cannot write. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}

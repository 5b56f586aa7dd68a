package dev.orchestra4j.topology.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orchestra4j.topology.TopologyException;

/** The Jackson mappers of this module, configured once: strict duplicate keys, stable pretty output. */
final class Json {
    static final ObjectMapper JSON = configure(new ObjectMapper());
    static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

    private Json() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** Reads a document into plain maps, lists and scalars. */
    static Object read(ObjectMapper mapper, String text, String format) {
        try {
            return mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new TopologyException("cannot parse topology " + format + where + ": " + e.getOriginalMessage());
        }
    }

    /** Writes plain maps, lists and scalars. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write topology JSON: " + e.getOriginalMessage(), e);
        }
    }
}

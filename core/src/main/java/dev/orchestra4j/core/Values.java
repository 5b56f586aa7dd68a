package dev.orchestra4j.core;

import dev.orchestra4j.core.internal.Json;
import java.util.List;

/** Renders run values as text for prompts, status lines and results. */
final class Values {

    private Values() {}

    static String asText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Arrival) {
            StringBuilder out = new StringBuilder();
            for (Object item : list) {
                Arrival arrival = (Arrival) item;
                if (!out.isEmpty()) {
                    out.append("\n\n");
                }
                out.append("[from ").append(arrival.agent()).append("]\n").append(asText(arrival.value()));
            }
            return out.toString();
        }
        if (value instanceof CharSequence
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Enum<?>) {
            return String.valueOf(value);
        }
        return Json.write(value);
    }
}

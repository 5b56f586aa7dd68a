package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.TopologyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Copies metadata maps into immutable, key-sorted, JSON-normal form so that equal metadata always serialises to
 * the same JSON and survives a JSON round trip: integral numbers become {@code Integer} (or {@code Long} when
 * they do not fit), other numbers {@code Double}; nested maps and lists are copied the same way. Any other value
 * (a user's own object) is kept as is and is written to JSON by Jackson, which cannot read it back as the same
 * type. A map or list that contains itself, or nesting deeper than {@value #MAX_DEPTH} levels, is a
 * {@link TopologyException}: such metadata cannot be written as JSON.
 */
public final class Metadata {
    /** How deeply maps and lists may nest inside metadata. */
    public static final int MAX_DEPTH = 64;

    private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());

    private Metadata() {}

    /**
     * Returns an immutable, normalised copy.
     *
     * @throws IllegalArgumentException for blank keys, non-string keys in nested maps, or null values
     * @throws TopologyException for a map or list that contains itself, or nesting deeper than {@value #MAX_DEPTH}
     */
    public static Map<String, Object> copy(Map<String, ?> metadata) {
        return new Metadata().copyMap(metadata, "metadata");
    }

    private Map<String, Object> copyMap(Map<?, ?> map, String path) {
        enter(map, path);
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || key.isBlank()) {
                throw new IllegalArgumentException(
                        path + " keys must be non-blank strings, was '" + entry.getKey() + "'");
            }
            sorted.put(key, normalize(entry.getValue(), path + "." + key));
        }
        open.remove(map);
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    private void enter(Object container, String path) {
        if (!open.add(container)) {
            throw new TopologyException(path + " contains itself; metadata must be a tree (it is written as JSON)");
        }
        if (open.size() > MAX_DEPTH) {
            throw new TopologyException(path + " nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Object normalize(Object value, String path) {
        if (value == null) {
            throw new IllegalArgumentException(path + " must not be null");
        }
        return switch (value) {
            case Map<?, ?> map -> copyMap(map, path);
            case List<?> list -> copyList(list, path);
            case Integer i -> i;
            case Long l -> narrow(l);
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case BigInteger big -> big.bitLength() < 64 ? narrow(big.longValue()) : big;
            case Float f -> finite(f.doubleValue(), path);
            case Double d -> finite(d, path);
            case BigDecimal decimal -> finite(decimal.doubleValue(), path);
            default -> value;
        };
    }

    private List<Object> copyList(List<?> list, String path) {
        enter(list, path);
        List<Object> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            copy.add(normalize(list.get(i), path + "[" + i + "]"));
        }
        open.remove(list);
        return Collections.unmodifiableList(copy);
    }

    private static Double finite(double value, String path) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(path + " must be a finite number, was " + value);
        }
        return value;
    }

    private static Object narrow(long value) {
        if (value == (int) value) {
            return Integer.valueOf((int) value);
        }
        return Long.valueOf(value);
    }
}

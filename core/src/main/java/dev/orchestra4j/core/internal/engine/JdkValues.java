package dev.orchestra4j.core.internal.engine;

import static java.util.Map.entry;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The JDK value types a run value may hold and get back with their type after a restart: dates and times, exact
 * numbers, the boxed types JSON has no number for ({@code Long} within int range, {@code Float}, {@code Short},
 * {@code Byte}, {@code Character}, a {@code Double} that is NaN or infinite), JDK enums, {@code UUID}, {@code URI} and primitive arrays ({@code byte[]} in Base64, {@code char[]} as its text, the
 * others as their elements' texts joined by commas). Each is stored as its canonical text
 * under {@code @type}/{@code @value} and read back by its own parser: exact (a {@code BigDecimal} keeps its scale, an
 * {@code Instant} its nanoseconds) and independent of Jackson's settings. Only these names are ever resolved from
 * storage; any other JDK class in a value is refused when it is stored ({@link SnapshotValues}), since it would come
 * back as a different type.
 */
final class JdkValues {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdkValues.class);

    private record Kind(Function<Object, String> write, Function<String, Object> read) {}

    private static Kind text(Function<String, Object> read) {
        return new Kind(Object::toString, read);
    }

    private static final Map<Class<?>, Kind> KINDS = Map.ofEntries(
            entry(Long.class, text(Long::valueOf)),
            entry(Float.class, text(Float::valueOf)),
            entry(Double.class, text(Double::valueOf)),
            entry(Short.class, text(Short::valueOf)),
            entry(Byte.class, text(Byte::valueOf)),
            entry(Character.class, text(JdkValues::character)),
            entry(BigDecimal.class, text(BigDecimal::new)),
            entry(BigInteger.class, text(BigInteger::new)),
            entry(UUID.class, text(UUID::fromString)),
            entry(URI.class, text(URI::create)),
            entry(Instant.class, text(Instant::parse)),
            entry(Duration.class, text(Duration::parse)),
            entry(Period.class, text(Period::parse)),
            entry(LocalDate.class, text(LocalDate::parse)),
            entry(LocalTime.class, text(LocalTime::parse)),
            entry(LocalDateTime.class, text(LocalDateTime::parse)),
            entry(OffsetDateTime.class, text(OffsetDateTime::parse)),
            entry(OffsetTime.class, text(OffsetTime::parse)),
            entry(ZonedDateTime.class, text(ZonedDateTime::parse)),
            entry(Year.class, text(Year::parse)),
            entry(YearMonth.class, text(YearMonth::parse)),
            entry(MonthDay.class, text(MonthDay::parse)),
            entry(ZoneOffset.class, text(ZoneOffset::of)),
            entry(byte[].class, new Kind(b -> Base64.getEncoder().encodeToString((byte[]) b), s -> Base64.getDecoder()
                    .decode(s))),
            entry(char[].class, new Kind(a -> new String((char[]) a), String::toCharArray)),
            entry(int[].class, elements(int.class, Integer::valueOf)),
            entry(long[].class, elements(long.class, Long::valueOf)),
            entry(short[].class, elements(short.class, Short::valueOf)),
            entry(float[].class, elements(float.class, Float::valueOf)),
            entry(double[].class, elements(double.class, Double::valueOf)),
            entry(boolean[].class, elements(boolean.class, JdkValues::parseBoolean)));

    /**
     * A primitive array as its elements' canonical texts joined by commas (exact: {@code Float.toString} and {@code
     * Double.toString} read back to the same bits, NaN and infinities included); read back element by element.
     */
    private static Kind elements(Class<?> component, Function<String, Object> parse) {
        return new Kind(
                array -> {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < Array.getLength(array); i++) {
                        out.append(i == 0 ? "" : ",").append(Array.get(array, i));
                    }
                    return out.toString();
                },
                text -> {
                    String[] parts = text.isEmpty() ? new String[0] : text.split(",", -1);
                    Object array = Array.newInstance(component, parts.length);
                    for (int i = 0; i < parts.length; i++) {
                        Array.set(array, i, parse.apply(parts[i]));
                    }
                    return array;
                });
    }

    private static boolean parseBoolean(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean: '" + text + "'");
        };
    }

    private static final Map<String, Class<?>> BY_NAME =
            KINDS.keySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Class::getName, t -> t));

    private JdkValues() {}

    /**
     * Whether {@code value} is one of these types (a {@code Long} only where JSON would read it back as an int) or a
     * JDK enum ({@code DayOfWeek}, {@code TimeUnit}: stored by name).
     */
    static boolean holds(Object value) {
        if (value instanceof Long l) {
            return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
        }
        if (value instanceof Double d) {
            return !Double.isFinite(d);
        }
        return KINDS.containsKey(value.getClass()) || jdkEnum(value.getClass()) != null;
    }

    /** The stored type name of {@code value}, one of these. */
    static String typeName(Object value) {
        return value instanceof Enum<?> e
                ? e.getDeclaringClass().getName()
                : value.getClass().getName();
    }

    /** The stored text of {@code value}, one of these. */
    static String write(Object value) {
        return value instanceof Enum<?> e
                ? e.name()
                : KINDS.get(value.getClass()).write().apply(value);
    }

    /** The type stored under {@code name}, if it is one of these or a JDK enum (loaded without initialising it). */
    static @Nullable Class<?> named(String name) {
        Class<?> type = BY_NAME.get(name);
        if (type != null || !TypedValueCodec.isJdk(name)) {
            return type;
        }
        try {
            return jdkEnum(Class.forName(name, false, null));
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static @Nullable Class<?> jdkEnum(Class<?> type) {
        Class<?> declaring = type.isEnum() ? type : type.getSuperclass();
        return declaring != null && declaring.isEnum() && TypedValueCodec.isJdk(declaring.getName()) ? declaring : null;
    }

    /**
     * {@code text} read back as a {@code type} (one of these). When it no longer parses as one, because a secret's mask
     * or a {@code Redactor} rewrote it in storage ({@code https://x?key=[secret:api_key]}, say), the text itself comes
     * back, with a WARN naming the type: a restart sees what storage holds, as for any value the redactor changed.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object read(Class<?> type, String text) {
        try {
            return type.isEnum()
                    ? Enum.valueOf((Class) type, text)
                    : KINDS.get(type).read().apply(text);
        } catch (RuntimeException e) {
            LOG.warn(
                    "a stored {} reads back as its text '{}': it no longer parses ({}); masked or redacted in storage?",
                    type.getName(),
                    text,
                    e.getMessage());
            return text;
        }
    }

    private static Character character(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("a Character is one UTF-16 unit, not " + text.length());
        }
        return text.charAt(0);
    }
}

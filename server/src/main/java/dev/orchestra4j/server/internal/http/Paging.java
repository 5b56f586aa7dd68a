package dev.orchestra4j.server.internal.http;

import io.javalin.http.Context;
import java.util.List;

/** {@code limit} (1..1000) and {@code offset} (≥ 0) query parameters; out of range → 422 naming the parameter. */
public record Paging(int limit, int offset) {

    public static Paging of(Context ctx, int defaultLimit) {
        int limit = intParam(ctx, "limit", defaultLimit);
        int offset = intParam(ctx, "offset", 0);
        if (limit < 1 || limit > 1000) {
            throw ApiException.validation(
                    "query.limit", "less_than_equal", "limit must be between 1 and 1000, was " + limit);
        }
        if (offset < 0) {
            throw ApiException.validation("query.offset", "greater_than_equal", "offset must be >= 0, was " + offset);
        }
        return new Paging(limit, offset);
    }

    public static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation(
                    "query." + name, "int_parsing", "Input should be a valid integer, was '" + value + "'");
        }
    }

    public <T> List<T> slice(List<T> all) {
        int from = Math.min(offset, all.size());
        return all.subList(from, Math.min(all.size(), from + limit));
    }
}

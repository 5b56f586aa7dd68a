package dev.orchestra4j.server.internal.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * CORS for the origins listed in {@code CORS_ORIGINS}: a listed origin is echoed with credentials allowed; {@code *}
 * allows every origin but then never with credentials; any other origin gets no CORS headers.
 */
public final class Cors {

    private final Set<String> origins;
    private final boolean any;

    public Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    void apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        ctx.header("Vary", "Origin");
        if (origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Allow-Credentials", "true");
        } else if (any) {
            ctx.header("Access-Control-Allow-Origin", "*");
        } else {
            return;
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, X-API-Key, Authorization, Last-Event-ID");
        ctx.header("Access-Control-Max-Age", "600");
    }
}

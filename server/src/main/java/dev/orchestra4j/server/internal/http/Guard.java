package dev.orchestra4j.server.internal.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks every request passes before its route: CORS (answers preflights), shutdown draining, request size, rate
 * limit and API key, in that order. Open without a key: {@code /}, {@code /health} and the console's static files.
 */
public final class Guard {

    private static final Set<String> OPEN = Set.of("/", "/health");

    private final @Nullable ApiKey apiKey;
    private final Cors cors;
    private final long maxRequestBytes;
    private final @Nullable ClientRateLimiter rateLimiter;
    private final Drain drain;

    public Guard(
            @Nullable ApiKey apiKey,
            Cors cors,
            long maxRequestBytes,
            @Nullable ClientRateLimiter rateLimiter,
            Drain drain) {
        this.apiKey = apiKey;
        this.cors = cors;
        this.maxRequestBytes = maxRequestBytes;
        this.rateLimiter = rateLimiter;
        this.drain = drain;
    }

    /** Runs as Javalin's first before-handler. */
    public void check(Context ctx) {
        cors.apply(ctx);
        if (ctx.method() == HandlerType.OPTIONS) {
            ctx.status(204).skipRemainingHandlers();
            return;
        }
        drain.enter(ctx);
        long length = ctx.req().getContentLengthLong();
        if (length > maxRequestBytes) {
            throw ApiException.of(413, "request body too large: " + length + " bytes, the limit is " + maxRequestBytes);
        }
        if (rateLimiter != null && !rateLimiter.tryAcquire(ctx.ip())) {
            ctx.header("Retry-After", "1");
            throw ApiException.of(429, "too many requests from this client; retry later");
        }
        if (apiKey != null && !isOpen(ctx.path()) && !apiKey.matches(ctx)) {
            throw ApiException.of(401, "Invalid or missing API key");
        }
    }

    private static boolean isOpen(String path) {
        return OPEN.contains(path) || path.equals("/console") || path.startsWith("/console/");
    }
}

package dev.orchestra4j.server.internal.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * The configured API key, compared in constant time (both sides are hashed first, so neither the content nor the
 * length leaks). Accepts {@code X-API-Key: <key>} or {@code Authorization: Bearer <key>}. Never printed: {@link
 * #toString()} hides it.
 */
public final class ApiKey {

    private final byte[] digest;

    public ApiKey(String key) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("API key must not be blank");
        }
        this.digest = sha256(key);
    }

    public boolean matches(Context ctx) {
        String presented = presented(ctx);
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static @Nullable String presented(Context ctx) {
        String header = ctx.header("X-API-Key");
        if (header != null) {
            return header;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return null;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[****]";
    }
}

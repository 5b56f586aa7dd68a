package dev.orchestra4j.core;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Session ids: {@code context["session_id"]} when given (validated), else a new ULID. The ULID's 80 random bits come
 * from {@link SecureRandom} as before, drawn {@value #IDS_PER_DRAW} ids' worth at a time: one {@code nextBytes} call
 * costs about as much for 10 bytes as for 640, and it was a measurable part of a short run.
 */
final class SessionIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int RANDOM_BYTES = 10;
    private static final int IDS_PER_DRAW = 64;
    /** Random bytes drawn ahead; each id takes the next {@value #RANDOM_BYTES} and clears them. Guarded by LOCK. */
    private static final byte[] POOL = new byte[RANDOM_BYTES * IDS_PER_DRAW];

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static int used = POOL.length;

    private SessionIds() {}

    static String fromContext(Map<String, Object> context) {
        Object given = context.get("session_id");
        if (given == null) {
            return ulid(System.currentTimeMillis());
        }
        String id = String.valueOf(given);
        if (!VALID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("session_id '" + id
                    + "' is not valid: use 1-128 characters from A-Z a-z 0-9 . _ - (and not '.' or '..')");
        }
        return id;
    }

    /** A ULID: 48 bits of time, 80 random bits, Crockford base 32 (sortable by creation time). */
    static String ulid(long millis) {
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        long hi = 0;
        long lo = 0;
        LOCK.lock();
        try {
            if (used == POOL.length) {
                RANDOM.nextBytes(POOL);
                used = 0;
            }
            for (int i = 0; i < RANDOM_BYTES / 2; i++) {
                hi = (hi << 8) | (POOL[used + i] & 0xff);
                lo = (lo << 8) | (POOL[used + RANDOM_BYTES / 2 + i] & 0xff);
            }
            java.util.Arrays.fill(POOL, used, used + RANDOM_BYTES, (byte) 0); // handed out: not kept in memory
            used += RANDOM_BYTES;
        } finally {
            LOCK.unlock();
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}

package dev.orchestra4j.state;

/**
 * A parsed checkpoint id {@code "<sessionId>/<sequence>-<name>"} and the storage layout of sessions and
 * checkpoints: a session lives under {@code sessions/<sessionId>}, its checkpoints under {@code
 * checkpoints/<sessionId>/<sequence>-<name>}. Sequences grow per session and are zero-padded to six digits
 * (more digits once they outgrow them); ordering always uses the number.
 */
record CheckpointId(String sessionId, long sequence, String name) {

    private static final String SESSIONS = "sessions/";
    private static final String CHECKPOINTS = "checkpoints/";
    private static final String RECORDINGS = "recordings/";

    CheckpointId {
        Ids.requireSessionId(sessionId);
        Ids.requireCheckpointName(name);
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, was " + sequence);
        }
    }

    /** Parses a checkpoint id or throws an {@link IllegalArgumentException} naming it. */
    static CheckpointId parse(String id) {
        int slash = id.indexOf('/');
        int dash = id.indexOf('-', slash + 1);
        if (slash < 1 || dash < slash + 2 || !isDigits(id, slash + 1, dash)) {
            throw new IllegalArgumentException(
                    "Invalid checkpoint id '" + id + "': expected '<sessionId>/<sequence>-<name>'");
        }
        String sessionId = Ids.requireSessionId(id.substring(0, slash));
        return new CheckpointId(sessionId, Long.parseLong(id.substring(slash + 1, dash)), id.substring(dash + 1));
    }

    static String sessionKey(String sessionId) {
        return SESSIONS + sessionId;
    }

    /** Where a session's recording (its model and tool calls, one event per agent step) is journaled. */
    static String recordingKey(String sessionId) {
        return RECORDINGS + sessionId;
    }

    static String sessionsPrefix() {
        return SESSIONS;
    }

    static String sessionIdOf(String sessionKey) {
        return sessionKey.substring(SESSIONS.length());
    }

    static String checkpointsPrefix(String sessionId) {
        return CHECKPOINTS + sessionId + "/";
    }

    /** Parses a storage key under {@link #checkpointsPrefix(String)}. */
    static CheckpointId fromKey(String key) {
        return parse(key.substring(CHECKPOINTS.length()));
    }

    String id() {
        return sessionId + "/" + String.format("%06d", sequence) + "-" + name;
    }

    String key() {
        return CHECKPOINTS + id();
    }

    private static boolean isDigits(String s, int from, int to) {
        if (to - from > 18) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

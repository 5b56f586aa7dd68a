package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides what of a session's state may reach storage: the {@link StateManager} shows it every value of a
 * snapshot's {@link SessionSnapshot#payload() payload} and of every journal event before they are
 * written, and stores whatever it returns instead. Use it to keep API keys, tokens or personal data out
 * of storage, for example by replacing every text equal to a known secret with {@code "***"}.
 *
 * <p>{@code path} is the value's JSON Pointer (RFC 6901) from the root of the payload or event: {@code ""}
 * for the root itself, {@code "/context/openai/key"} for a nested field, {@code "/trace/3"} for an
 * array element. Containers are shown before their members: returning a different node for an object or
 * array stores that node instead and skips its members. Returning {@code value} itself keeps it. The
 * caller's trees are never modified: redaction happens while encoding. A redactor must be thread-safe
 * and fast (it runs for every value on every save); an exception it throws fails the save, since
 * storing the unredacted value is exactly what it is there to prevent.
 *
 * <p>A replaced value is gone: a session read back, resumed or recovered sees the replacement. The same
 * value is often stored in several places (a journal entry holds both an agent's recorded outcome and the
 * changes it made: the trace, a branch's input, a final response), and a redactor that decides by path may
 * replace it in some of them only. A journal event it changed is read back {@link JournalEvent#redacted()
 * redacted} (an equal replacement changes nothing); recovery does not hold such entries to replaying their
 * recorded outcomes to exactly their recorded changes, which they may no longer do, and resumes from the
 * changes as stored. Entries it left alone are still checked. Deciding by content (every text equal to a
 * secret) replaces a value everywhere it occurs and keeps a session's places consistent.
 */
@FunctionalInterface
public interface Redactor {

    /** Returns the node to store at {@code path}: {@code value} itself to keep it, or a replacement. */
    JsonNode redact(String path, JsonNode value);

    /** A redactor that stores everything as it is (the default). */
    static Redactor none() {
        return NoRedaction.INSTANCE;
    }
}

/** The redactor behind {@link Redactor#none()}; the codec recognizes it and skips the walk. */
enum NoRedaction implements Redactor {
    INSTANCE;

    @Override
    public JsonNode redact(String path, JsonNode value) {
        return value;
    }
}

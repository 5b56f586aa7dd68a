package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraException;
import java.util.Locale;

/** A tracker call that failed; {@link #category()} says how (Symphony §11 error categories). */
public final class TrackerException extends OrchestraException {

    private final Category category;

    public TrackerException(Category category, String message) {
        super(category.code() + ": " + message);
        this.category = requireNonNull(category, "category");
    }

    public TrackerException(Category category, String message, Throwable cause) {
        super(category.code() + ": " + message, cause);
        this.category = requireNonNull(category, "category");
    }

    public Category category() {
        return category;
    }

    /** Symphony's tracker error categories. */
    public enum Category {
        UNSUPPORTED_TRACKER_KIND,
        INVALID_TRACKER_CONFIG,
        MISSING_TRACKER_SECRET,
        TRACKER_REQUEST,
        TRACKER_STATUS,
        TRACKER_RESPONSE,
        TRACKER_PAGINATION,
        TRACKER_RATE_LIMITED,
        /** The issue does not exist (for writes). */
        TRACKER_NOT_FOUND;

        /** The snake-case code, e.g. {@code tracker_status}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A normalised tracker issue (Symphony §4.1.1). {@code id}, {@code identifier}, {@code title} and {@code state} are
 * non-blank; labels are trimmed, lowercased, de-duplicated and never blank; absent values are null or empty lists.
 *
 * @param id the tracker's opaque id, the dispatch identity
 * @param nativeRef a non-secret reference into the provider, or null
 * @param identifier the human key ({@code ABC-123}), unique in scope, and the workspace name
 * @param title the title
 * @param description the body, or null
 * @param priority lower is more urgent; null when unset
 * @param state the provider's spelling of the state
 * @param branchName a branch the provider associates, or null
 * @param url a browser link, or null
 * @param assigneeId the assignee, or null
 * @param labels normalised labels
 * @param blockedBy issues that block this one
 * @param dispatchable whether the adapter allows dispatch (no open blocker, not a pull request, …)
 * @param createdAt creation time, or null
 * @param updatedAt last update, or null
 */
public record Issue(
        String id,
        @Nullable Map<String, Object> nativeRef,
        String identifier,
        String title,
        @Nullable String description,
        @Nullable Integer priority,
        String state,
        @Nullable String branchName,
        @Nullable String url,
        @Nullable String assigneeId,
        List<String> labels,
        List<Blocker> blockedBy,
        boolean dispatchable,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) {

    public Issue {
        id = nonBlank(id, "id");
        identifier = nonBlank(identifier, "identifier");
        title = nonBlank(title, "title");
        state = nonBlank(state, "state");
        nativeRef = nativeRef == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nativeRef));
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String label : labels) {
            String l = States.normalize(label);
            if (!l.isEmpty()) {
                normalized.add(l);
            }
        }
        labels = List.copyOf(normalized);
        blockedBy = List.copyOf(blockedBy);
    }

    /** Starts an issue with its four required fields; dispatchable unless told otherwise. */
    public static Builder builder(String id, String identifier, String title, String state) {
        return new Builder(id, identifier, title, state);
    }

    /** A builder holding this issue's fields. */
    public Builder toBuilder() {
        Builder b = new Builder(id, identifier, title, state);
        b.nativeRef = nativeRef;
        b.description = description;
        b.priority = priority;
        b.branchName = branchName;
        b.url = url;
        b.assigneeId = assigneeId;
        b.labels = new ArrayList<>(labels);
        b.blockedBy = new ArrayList<>(blockedBy);
        b.dispatchable = dispatchable;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        return b;
    }

    /** This issue as a template variable: string keys, every field present, lists and maps kept. */
    public Map<String, Object> toTemplateValue() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("native_ref", nativeRef);
        out.put("identifier", identifier);
        out.put("title", title);
        out.put("description", description);
        out.put("priority", priority);
        out.put("state", state);
        out.put("branch_name", branchName);
        out.put("url", url);
        out.put("assignee_id", assigneeId);
        out.put("labels", labels);
        List<Map<String, Object>> blockers = new ArrayList<>();
        for (Blocker b : blockedBy) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.id());
            m.put("identifier", b.identifier());
            m.put("state", b.state());
            blockers.add(m);
        }
        out.put("blocked_by", blockers);
        out.put("dispatchable", dispatchable);
        out.put("created_at", createdAt == null ? null : createdAt.toString());
        out.put("updated_at", updatedAt == null ? null : updatedAt.toString());
        return out;
    }

    private static String nonBlank(String value, String name) {
        requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException("issue " + name + " must not be blank");
        }
        return value;
    }

    /**
     * An issue that blocks another.
     *
     * @param id its id, or null when unknown
     * @param identifier its identifier, or null when unknown
     * @param state its state, or null when unknown
     */
    public record Blocker(
            @Nullable String id,
            @Nullable String identifier,
            @Nullable String state) {}

    /** Builds an {@link Issue}. */
    public static final class Builder {
        private final String id;
        private final String identifier;
        private final String title;
        private String state;
        private @Nullable Map<String, Object> nativeRef;
        private @Nullable String description;
        private @Nullable Integer priority;
        private @Nullable String branchName;
        private @Nullable String url;
        private @Nullable String assigneeId;
        private List<String> labels = new ArrayList<>();
        private List<Blocker> blockedBy = new ArrayList<>();
        private boolean dispatchable = true;
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;

        private Builder(String id, String identifier, String title, String state) {
            this.id = id;
            this.identifier = identifier;
            this.title = title;
            this.state = state;
        }

        public Builder state(String value) {
            state = requireNonNull(value, "state");
            return this;
        }

        public Builder nativeRef(@Nullable Map<String, Object> value) {
            nativeRef = value;
            return this;
        }

        public Builder description(@Nullable String value) {
            description = value;
            return this;
        }

        public Builder priority(@Nullable Integer value) {
            priority = value;
            return this;
        }

        public Builder branchName(@Nullable String value) {
            branchName = value;
            return this;
        }

        public Builder url(@Nullable String value) {
            url = value;
            return this;
        }

        public Builder assigneeId(@Nullable String value) {
            assigneeId = value;
            return this;
        }

        public Builder labels(List<String> value) {
            labels = new ArrayList<>(value);
            return this;
        }

        public Builder blockedBy(List<Blocker> value) {
            blockedBy = new ArrayList<>(value);
            return this;
        }

        public Builder dispatchable(boolean value) {
            dispatchable = value;
            return this;
        }

        public Builder createdAt(@Nullable Instant value) {
            createdAt = value;
            return this;
        }

        public Builder updatedAt(@Nullable Instant value) {
            updatedAt = value;
            return this;
        }

        public Issue build() {
            return new Issue(
                    id,
                    nativeRef,
                    identifier,
                    title,
                    description,
                    priority,
                    state,
                    branchName,
                    url,
                    assigneeId,
                    labels,
                    blockedBy,
                    dispatchable,
                    createdAt,
                    updatedAt);
        }
    }
}

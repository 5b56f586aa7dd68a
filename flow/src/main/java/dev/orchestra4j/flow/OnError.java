package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a workflow does when a step fails for good: {@code fail} the workflow (the default), {@code continue} with the
 * next step, or {@code goto:<step_id>} — an {@code [on error]} edge to that step, which gets the error context.
 *
 * @param kind fail, continue or goto
 * @param target the step of a goto
 */
public record OnError(Kind kind, Optional<String> target) {

    public static final OnError FAIL = new OnError(Kind.FAIL, Optional.empty());
    public static final OnError CONTINUE = new OnError(Kind.CONTINUE, Optional.empty());

    public OnError {
        requireNonNull(kind, "kind");
        requireNonNull(target, "target");
        if (kind == Kind.GOTO != target.isPresent()) {
            throw new IllegalArgumentException("on_error goto needs a target step, and only goto has one");
        }
    }

    public static OnError goTo(String stepId) {
        return new OnError(Kind.GOTO, Optional.of(requireNonNull(stepId, "stepId")));
    }

    /** Parses {@code fail}, {@code continue} or {@code goto:<step_id>}. */
    public static OnError parse(String value) {
        String v = value.trim();
        if (v.equals("fail")) {
            return FAIL;
        }
        if (v.equals("continue")) {
            return CONTINUE;
        }
        if (v.startsWith("goto:") && v.length() > 5) {
            return goTo(v.substring(5).trim());
        }
        throw new IllegalArgumentException("on_error must be fail, continue or goto:<step_id>, was '" + value + "'");
    }

    /** The wire spelling. */
    public String wire() {
        return switch (kind) {
            case FAIL -> "fail";
            case CONTINUE -> "continue";
            case GOTO -> "goto:" + target.orElseThrow();
        };
    }

    /** The three choices. */
    public enum Kind {
        FAIL,
        CONTINUE,
        GOTO
    }
}

package dev.orchestra4j.core.user;

import dev.orchestra4j.core.internal.error.ErrorDecision;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How {@link TerminalUserChannel} shows questions and reads answers against their options. */
final class TerminalText {

    private TerminalText() {}

    /** One line: {@code ? [agent] question [a/b/c]}, with {@code !} instead of {@code ?} for an error decision. */
    static String question(UserQuestion question) {
        String mark = question.kind() == UserQuestion.Kind.ERROR_DECISION ? "! " : "? ";
        List<String> options = options(question);
        String choices = options.isEmpty() ? "" : " [" + String.join("/", options) + "]";
        return mark + who(question) + " " + question.question().strip() + choices;
    }

    /** Names the question the next answer goes to, for when several are waiting. */
    static String nextUp(UserQuestion question, int waiting) {
        String count = waiting > 1 ? waiting + " questions waiting; " : "";
        return "  (" + count + "your next answer goes to " + who(question) + ": "
                + question.question().strip() + ")";
    }

    static String withdrawn(UserQuestion question) {
        return "  (no longer waiting for " + who(question) + ": "
                + question.question().strip() + ")";
    }

    static String notAnOption(UserQuestion question) {
        return "  (please answer " + who(question) + " with one of: " + String.join(", ", options(question)) + ")";
    }

    /** The accepted answers; an error decision without options offers retry, skip and abort. */
    static List<String> options(UserQuestion question) {
        if (question.options().isEmpty() && question.kind() == UserQuestion.Kind.ERROR_DECISION) {
            return ErrorDecision.options();
        }
        return question.options();
    }

    /**
     * The answer a typed line gives: free text as typed; with options, the option it names ignoring case, a prefix of
     * exactly one option, or an option's number counted from 1. Empty when it fits none.
     */
    static Optional<String> answer(UserQuestion question, String typed) {
        List<String> options = options(question);
        if (options.isEmpty()) {
            return Optional.of(typed);
        }
        String lower = typed.toLowerCase(Locale.ROOT);
        List<String> matches = options.stream()
                .filter(o -> o.toLowerCase(Locale.ROOT).startsWith(lower))
                .toList();
        Optional<String> exact =
                matches.stream().filter(o -> o.equalsIgnoreCase(typed)).findFirst();
        if (exact.isPresent() || matches.size() == 1) {
            return exact.or(() -> Optional.of(matches.get(0)));
        }
        return numbered(options, typed);
    }

    private static Optional<String> numbered(List<String> options, String typed) {
        if (!typed.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int index = Integer.parseInt(typed);
        return index >= 1 && index <= options.size() ? Optional.of(options.get(index - 1)) : Optional.empty();
    }

    private static String who(UserQuestion question) {
        return "[" + question.agent() + "]";
    }
}

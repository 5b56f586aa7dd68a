package dev.orchestra4j.core.internal.error;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the user chose for a failed step they were asked about (SPEC §4.6): try again, skip it, or stop the run. */
public enum ErrorDecision {
    RETRY,
    SKIP,
    ABORT;

    private static final List<String> OPTIONS = List.of("retry", "skip", "abort");
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{Alnum}]+");

    /** The answers to offer, in order, as shown to the user: {@code retry}, {@code skip}, {@code abort}. */
    public static List<String> options() {
        return OPTIONS;
    }

    /**
     * Reads an answer leniently: case, surrounding blanks and punctuation are ignored, and the first word may be any
     * prefix of a decision ({@code r}, {@code Retry}, {@code "  SKIP "}, {@code "abort, please"}); the menu numbers
     * {@code 1}, {@code 2}, {@code 3} work too. Words that merely share a first letter ({@code sure}) do not count.
     *
     * @return empty when the answer is none of these
     */
    public static Optional<ErrorDecision> parse(String answer) {
        String word = firstWord(answer);
        if (word.isEmpty()) {
            return Optional.empty();
        }
        for (ErrorDecision decision : values()) {
            String name = OPTIONS.get(decision.ordinal());
            if (name.startsWith(word) || word.equals(Integer.toString(decision.ordinal() + 1))) {
                return Optional.of(decision);
            }
        }
        return Optional.empty();
    }

    private static String firstWord(String answer) {
        for (String word : WORD_BREAK.split(answer.toLowerCase(Locale.ROOT))) {
            if (!word.isEmpty()) {
                return word;
            }
        }
        return "";
    }
}

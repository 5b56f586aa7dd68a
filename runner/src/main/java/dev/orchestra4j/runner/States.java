package dev.orchestra4j.runner;

import java.util.Locale;

/** How tracker states and labels compare: trimmed and lowercased. */
public final class States {

    private States() {}

    public static String normalize(String state) {
        return state.strip().toLowerCase(Locale.ROOT);
    }
}

package dev.orchestra4j.core.internal;

import java.util.Locale;
import java.util.Set;

/** Participant ids for Mermaid sequence diagrams: word characters only, never one of Mermaid's keywords. */
public final class MermaidIds {

    /** Words Mermaid's sequence diagrams read as keywords (an {@code End} participant closes a block, say). */
    private static final Set<String> KEYWORDS = Set.of(
            "end",
            "loop",
            "alt",
            "else",
            "opt",
            "par",
            "and",
            "rect",
            "note",
            "critical",
            "break",
            "box",
            "participant",
            "actor",
            "activate",
            "deactivate",
            "title",
            "autonumber",
            "over",
            "option",
            "create",
            "destroy",
            "link",
            "links");

    private MermaidIds() {}

    /** {@code name} with every non-word character replaced by {@code _}, and {@code _} appended to a keyword. */
    public static String participant(String name) {
        String id = name.replaceAll("[^A-Za-z0-9_]", "_");
        return KEYWORDS.contains(id.toLowerCase(Locale.ROOT)) ? id + "_" : id;
    }
}

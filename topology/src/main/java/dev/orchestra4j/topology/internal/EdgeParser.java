package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.TopologyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses one edge in notation: {@code "A -> B"}, {@code "A <-> B"}, {@code "A <~> B"}, {@code "A <|> B"}, with an
 * optional annotation on {@code ->} edges: {@code [when label]} or {@code [on error]}. Names may contain spaces;
 * whitespace around them (spaces, tabs, line breaks) is trimmed. Positions in messages are 1-based.
 */
public final class EdgeParser {
    private static final String ARROWS = "'->', '<->', '<~>' or '<|>'";

    private EdgeParser() {}

    /**
     * Parses one edge string into one edge ({@code ->}) or two ({@code <->}, {@code <~>}, {@code <|>}).
     *
     * @throws TopologyException naming the text and the position of the problem
     */
    public static List<Edge> parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw error(text, 1, "expected an edge such as 'A -> B'");
        }
        int open = text.indexOf('[');
        int bodyEnd = open < 0 ? text.length() : open;
        int stray = text.indexOf(']');
        if (stray >= 0 && stray < bodyEnd) {
            throw error(text, stray + 1, "unexpected ']'");
        }
        Arrow arrow = findArrow(text, bodyEnd);
        String source = name(text, 0, arrow.start(), "a source node before the arrow");
        String target = name(text, arrow.end(), bodyEnd, "a target node after the arrow");
        if (open < 0) {
            return edges(text, arrow, source, target);
        }
        if (!arrow.symbol().equals("->")) {
            throw error(text, open + 1, "annotations are only allowed on '->' edges");
        }
        try {
            return List.of(annotated(text, open, source, target));
        } catch (IllegalArgumentException e) {
            throw error(text, open + 2, e.getMessage());
        }
    }

    private record Arrow(String symbol, int start, int end) {}

    /**
     * Finds the one arrow of the body. An angle bracket that is not part of a whole arrow is a stray: one that
     * extends the arrow ({@code "->>"}, {@code "<<->"}) makes a malformed arrow; any other is a character of a node
     * name, which {@link #name} reports.
     */
    private static Arrow findArrow(String text, int bodyEnd) {
        List<Arrow> arrows = new ArrayList<>();
        List<Integer> strays = new ArrayList<>();
        for (int i = 0; i < bodyEnd; i++) {
            char c = text.charAt(i);
            char middle = i + 2 < bodyEnd && text.charAt(i + 2) == '>' ? text.charAt(i + 1) : 0;
            if (c == '<' && (middle == '-' || middle == '~' || middle == '|')) {
                arrows.add(new Arrow(text.substring(i, i + 3), i, i + 3));
                i += 2;
            } else if (c == '-' && i + 1 < bodyEnd && text.charAt(i + 1) == '>') {
                arrows.add(new Arrow("->", i, i + 2));
                i++;
            } else if (c == '<' || c == '>') {
                strays.add(i);
            }
        }
        if (arrows.isEmpty()) {
            int at = strays.isEmpty() ? bodyEnd : strays.get(0);
            throw error(text, at + 1, "expected an arrow " + ARROWS);
        }
        if (arrows.size() > 1) {
            Arrow second = arrows.get(1);
            int angle = second.symbol().equals("->") ? second.start() + 1 : second.start();
            throw error(text, angle + 1, "only one arrow is allowed per edge");
        }
        Arrow arrow = arrows.get(0);
        for (int stray : strays) {
            boolean extendsArrow = text.charAt(stray) == '<' ? stray == arrow.start() - 1 : stray == arrow.end();
            if (extendsArrow) {
                throw error(
                        text,
                        stray + 1,
                        "malformed arrow: '" + text.charAt(stray) + "' next to the arrow '" + arrow.symbol()
                                + "' (arrows are " + ARROWS + ", written whole, e.g. 'A -> B')");
            }
        }
        return arrow;
    }

    /**
     * The node name between {@code from} and {@code to}, without the whitespace (spaces, tabs, line breaks)
     * around it.
     */
    private static String name(String text, int from, int to, String expected) {
        String raw = text.substring(from, to);
        String name = raw.strip();
        if (name.isEmpty()) {
            throw error(text, from + 1, "expected " + expected);
        }
        int offset = from + raw.length() - raw.stripLeading().length();
        int bad = Names.firstForbidden(name);
        if (bad >= 0) {
            throw error(
                    text,
                    offset + bad + 1,
                    "node names cannot contain " + Names.describe(name.codePointAt(bad)) + ", found in node "
                            + Names.quote(name));
        }
        int end = Names.badEnd(name);
        if (end >= 0) {
            throw error(
                    text,
                    offset + end + 1,
                    "malformed arrow: '" + name.charAt(end) + "' next to a node name (arrows are " + ARROWS
                            + ", written whole, e.g. 'A -> B')");
        }
        return name;
    }

    private static List<Edge> edges(String text, Arrow arrow, String source, String target) {
        if (!arrow.symbol().equals("->") && source.equals(target)) {
            throw error(
                    text,
                    arrow.start() + 1,
                    "the two-way arrow '" + arrow.symbol() + "' needs two different nodes, found "
                            + Names.quote(source) + " on both sides (a node that hands work to itself is written '"
                            + source + " -> " + source + "')");
        }
        return switch (arrow.symbol()) {
            case "->" -> List.of(Edge.of(source, target));
            case "<->" -> pair(source, target, Map.of(Edge.PATTERN, "bidirectional"));
            case "<~>" ->
                pair(source, target, Map.of(Edge.PATTERN, "alternating", Edge.MAX_TURNS, Edge.DEFAULT_MAX_TURNS));
            case "<|>" -> pair(source, target, Map.of(Edge.PATTERN, "symmetric"));
            default -> throw error(text, arrow.start() + 1, "expected an arrow " + ARROWS);
        };
    }

    private static List<Edge> pair(String a, String b, Map<String, Object> metadata) {
        return List.of(
                new Edge(a, b, EdgeKind.INVOKE, Optional.empty(), metadata),
                new Edge(b, a, EdgeKind.INVOKE, Optional.empty(), metadata));
    }

    private static Edge annotated(String text, int open, String source, String target) {
        int close = text.indexOf(']', open);
        if (close < 0) {
            throw error(text, text.length() + 1, "expected ']' to close the annotation");
        }
        String rest = text.substring(close + 1);
        if (!rest.isBlank()) {
            throw error(
                    text,
                    close + 2 + rest.length() - rest.stripLeading().length(),
                    "nothing may follow the annotation");
        }
        int nested = text.indexOf('[', open + 1);
        if (nested >= 0 && nested < close) {
            throw error(text, nested + 1, "unexpected '['");
        }
        String body = text.substring(open + 1, close).strip();
        String[] words = body.split("\\s+", 2);
        if (words.length == 2 && words[0].equals("when")) {
            return Edge.when(source, target, words[1].strip());
        }
        if (words.length == 2 && words[0].equals("on") && words[1].strip().equals("error")) {
            return Edge.onError(source, target);
        }
        throw error(text, open + 2, "expected '[when <label>]' or '[on error]', was '[" + body + "]'");
    }

    private static TopologyException error(String text, int position, String problem) {
        return new TopologyException("cannot parse edge '" + text + "' at position " + position + ": " + problem);
    }
}

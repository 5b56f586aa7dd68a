package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.TopologyException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses one edge in notation: {@code "A -> B"}, {@code "A <-> B"}, {@code "A <~> B"}, {@code "A <|> B"}, with an
 * optional annotation on {@code ->} edges: {@code [when label]} or {@code [on error]}. Names may contain spaces
 * and are trimmed. Positions in messages are 1-based.
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

    private static Arrow findArrow(String text, int bodyEnd) {
        int at = firstAngle(text, 0, bodyEnd);
        if (at < 0) {
            throw error(text, bodyEnd + 1, "expected an arrow " + ARROWS);
        }
        Arrow arrow;
        if (text.charAt(at) == '>') {
            if (at == 0 || text.charAt(at - 1) != '-') {
                throw error(text, at + 1, "expected an arrow " + ARROWS);
            }
            arrow = new Arrow("->", at - 1, at + 1);
        } else {
            String symbol = text.substring(at, Math.min(at + 3, bodyEnd));
            if (!symbol.equals("<->") && !symbol.equals("<~>") && !symbol.equals("<|>")) {
                throw error(text, at + 1, "expected an arrow " + ARROWS);
            }
            arrow = new Arrow(symbol, at, at + 3);
        }
        int second = firstAngle(text, arrow.end(), bodyEnd);
        if (second >= 0) {
            throw error(text, second + 1, "only one arrow is allowed per edge");
        }
        return arrow;
    }

    private static int firstAngle(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '<' || text.charAt(i) == '>') {
                return i;
            }
        }
        return -1;
    }

    private static String name(String text, int from, int to, String expected) {
        String raw = text.substring(from, to);
        if (raw.isBlank()) {
            throw error(text, from + 1, "expected " + expected);
        }
        int bad = Names.firstForbidden(raw);
        if (bad >= 0) {
            throw error(text, from + bad + 1, "node names cannot contain " + Names.describe(raw.codePointAt(bad)));
        }
        int end = Names.badEnd(raw);
        if (end >= 0) {
            throw error(
                    text,
                    from + end + 1,
                    "malformed arrow: '" + raw.charAt(end) + "' next to a node name (arrows are " + ARROWS
                            + ", written whole, e.g. 'A -> B')");
        }
        return raw.strip();
    }

    private static List<Edge> edges(String text, Arrow arrow, String source, String target) {
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

package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.TopologyException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Parses rule notation such as {@code max_turns(Writer, 3)}. Positions in messages are 1-based. */
public final class RuleParser {
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_INTEGER_DIGITS = 18;
    private static final String KNOWN = "timeout, max_steps, max_agents, max_turns, convergence_point, parallel";

    private RuleParser() {}

    /**
     * Parses one rule.
     *
     * @throws TopologyException naming the text and the position of the problem
     */
    public static Rule parse(String text) {
        Objects.requireNonNull(text, "text");
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0) {
            throw error(text, text.length() + 1, "expected '(' after the rule name");
        }
        if (close < open) {
            throw error(text, text.length() + 1, "expected ')' at the end");
        }
        String rest = text.substring(close + 1);
        if (!rest.isBlank()) {
            int stray = close + 1 + rest.length() - rest.stripLeading().length();
            throw error(text, stray + 1, "expected ')' at the end");
        }
        String name = text.substring(0, open).strip();
        List<Argument> args = arguments(text, open + 1, close);
        try {
            return build(text, name, args);
        } catch (IllegalArgumentException e) {
            throw error(text, open + 2, e.getMessage());
        }
    }

    private static Rule build(String text, String name, List<Argument> args) {
        return switch (name) {
            case "timeout" -> new Rule.Timeout(seconds(text, single(text, name, args)));
            case "max_steps" -> new Rule.MaxSteps(integer(text, single(text, name, args)));
            case "max_agents" -> new Rule.MaxAgents(integer(text, single(text, name, args)));
            case "max_turns" -> {
                expect(text, name, args, 2);
                yield new Rule.MaxTurns(args.get(0).value(), integer(text, args.get(1)));
            }
            case "convergence_point" ->
                new Rule.ConvergencePoint(single(text, name, args).value());
            case "parallel" ->
                new Rule.Parallel(args.stream().map(Argument::value).toList());
            default -> throw error(text, 1, "unknown rule '" + name + "', expected one of " + KNOWN);
        };
    }

    private record Argument(String value, int position) {}

    private static List<Argument> arguments(String text, int from, int to) {
        List<Argument> args = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == ',') {
                String raw = text.substring(start, i);
                int lead = raw.length() - raw.stripLeading().length();
                if (raw.isBlank()) {
                    throw error(text, start + 1, "empty argument");
                }
                args.add(new Argument(raw.strip(), start + lead + 1));
                start = i + 1;
            }
        }
        return args;
    }

    private static Argument single(String text, String name, List<Argument> args) {
        expect(text, name, args, 1);
        return args.get(0);
    }

    private static void expect(String text, String name, List<Argument> args, int count) {
        if (args.size() != count) {
            int position = args.size() > count ? args.get(count).position() : text.length();
            throw error(
                    text,
                    position,
                    name + " takes " + count + " argument" + (count == 1 ? "" : "s") + ", got " + args.size());
        }
    }

    private static int integer(String text, Argument arg) {
        try {
            return Integer.parseInt(arg.value());
        } catch (NumberFormatException e) {
            throw error(text, arg.position(), "expected an integer, was '" + arg.value() + "'");
        }
    }

    private static Duration seconds(String text, Argument arg) {
        if (arg.value().length() > MAX_NUMBER_LENGTH) {
            throw error(
                    text,
                    arg.position(),
                    "expected a number of seconds, was " + arg.value().length() + " characters long (at most "
                            + MAX_NUMBER_LENGTH + ")");
        }
        try {
            BigDecimal seconds = new BigDecimal(arg.value());
            // bound the exponent before any arithmetic: 1e100000000 must not become a 10^100000000-digit integer
            if (seconds.signum() != 0 && seconds.precision() - seconds.scale() > MAX_INTEGER_DIGITS) {
                throw error(text, arg.position(), "timeout is too large: '" + arg.value() + "' seconds");
            }
            if (seconds.signum() != 0 && seconds.scale() > MAX_INTEGER_DIGITS + 9) {
                throw error(text, arg.position(), "timeout has more than 9 decimal places: '" + arg.value() + "'");
            }
            if (seconds.movePointRight(9).stripTrailingZeros().scale() > 0) {
                throw error(text, arg.position(), "timeout has more than 9 decimal places: '" + arg.value() + "'");
            }
            BigDecimal whole = new BigDecimal(seconds.toBigInteger());
            int nanos = seconds.subtract(whole).movePointRight(9).intValueExact();
            return Duration.ofSeconds(whole.longValueExact(), nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(text, arg.position(), "expected a number of seconds, was '" + arg.value() + "'");
        }
    }

    private static TopologyException error(String text, int position, String problem) {
        return new TopologyException("cannot parse rule '" + text + "' at position " + position + ": " + problem);
    }
}

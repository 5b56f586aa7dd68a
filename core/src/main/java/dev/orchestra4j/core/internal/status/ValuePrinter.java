package dev.orchestra4j.core.internal.status;

import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.internal.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * VERBOSE status output of what agents see and decide: a {@code ←} line with a step's input and a {@code →} line with
 * its decision, each cut to {@link StatusConfig#maxValueLength()} characters and kept on one line. It runs on the
 * agent's own thread around the call and only <em>notes</em> the two lines; the {@link StatusPrinter} prints them
 * (asynchronously, like every status line) just before the step's own line, so the console stays in order.
 */
public final class ValuePrinter implements StepInterceptor {

    /** Noted lines by session, branch and step, taken by the printer; bounded so abandoned steps cannot pile up. */
    private static final Map<String, String> NOTES = new ConcurrentHashMap<>();

    private static final int MAX_NOTES = 10_000;

    private final int maxLength;

    public ValuePrinter(StatusConfig config) {
        this.maxLength = config.maxValueLength();
    }

    @Override
    public AgentResponse around(AgentRequest request, Step step) throws Exception {
        String prefix = "  [" + request.branchId() + " " + request.agent() + "] ";
        String input = prefix + "← " + cut(request.inputText());
        String key = key(request.sessionId(), request.branchId(), request.step());
        try {
            AgentResponse response = step.proceed();
            note(key, input + "\n" + prefix + "→ " + describe(response));
            return response;
        } catch (Exception | Error e) {
            note(key, input);
            throw e;
        }
    }

    private static void note(String key, String lines) {
        if (NOTES.size() >= MAX_NOTES) {
            NOTES.clear();
        }
        NOTES.put(key, lines);
    }

    /** The lines noted for a step, once; null when none were (or the step is not VERBOSE). */
    static @Nullable String take(String sessionId, @Nullable String branchId, int step) {
        return NOTES.remove(key(sessionId, branchId, step));
    }

    private static String key(String sessionId, @Nullable String branchId, int step) {
        return sessionId + '\u0000' + branchId + '\u0000' + step;
    }

    private String describe(AgentResponse response) {
        return switch (response) {
            case AgentResponse.Invoke invoke -> "hand-off to " + invoke.agent() + ": " + cut(text(invoke.request()));
            case AgentResponse.Parallel parallel ->
                "parallel "
                        + cut(String.join(
                                ", ",
                                parallel.invocations().stream()
                                        .map(ValuePrinter::invocation)
                                        .toList()));
            case AgentResponse.Finish finish -> "finish: " + cut(text(finish.answer()));
            case AgentResponse.AskUser ask -> "ask user: " + cut(ask.question());
            case AgentResponse.Reply reply ->
                "reply" + reply.label().map(l -> " [" + l + "]").orElse("") + ": " + cut(text(reply.content()));
            case AgentResponse.Fail fail -> "fail " + fail.category() + ": " + cut(fail.reason());
        };
    }

    private static String invocation(Invocation i) {
        return i.agent() + ": " + text(i.request());
    }

    private static String text(Object value) {
        return value instanceof String s ? s : Json.write(value);
    }

    /** {@code text} on one line, at most {@code maxLength} characters (an ellipsis marks the cut). */
    String cut(String text) {
        String line = text.replace("\r\n", " ⏎ ").replace('\n', ' ').replace('\r', ' ');
        return line.length() <= maxLength ? line : line.substring(0, maxLength - 1) + "…";
    }
}

package dev.orchestra4j.core.internal.error;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the wait a provider asked for out of an error message. LangChain4j 1.19's {@code HttpException} keeps only the
 * status code and the response body (no headers), so the delay is recovered from text. Understood forms:
 *
 * <ul>
 *   <li>a header written into the text: {@code Retry-After: 7}, {@code retry-after=1.5}, {@code "retry-after": "7"}
 *       (seconds) and {@code retry-after-ms: 1500} (milliseconds); the HTTP-date form is not supported;
 *   <li>a sentence: {@code try again in 7s}, {@code 1.898s}, {@code 20ms}, {@code 6m0s}, {@code 1h2m},
 *       {@code 30 seconds}; also {@code retry in …} and {@code retry after …};
 *   <li>Google's {@code RetryInfo} in a JSON body: {@code "retryDelay": "33s"}.
 * </ul>
 */
final class RetryAfterText {

    private static final Pattern HEADER =
            Pattern.compile("retry[-_]after(-ms)?[\"']?\\s*[:=]\\s*[\"']?(\\d+(?:\\.\\d+)?)(?![\\d.])");
    private static final String UNITS = "milliseconds?|ms|minutes?|mins?|m|hours?|h|seconds?|secs?|s";
    private static final String NUMBER = "\\d+(?:\\.\\d+)?";
    private static final Pattern SENTENCE =
            Pattern.compile("(?:try again|retry) (?:in|after) ((?:" + NUMBER + "\\s*(?:" + UNITS + ")(?![a-z])\\s*)+)");
    private static final Pattern PART = Pattern.compile("(" + NUMBER + ")\\s*(" + UNITS + ")(?![a-z])");
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retrydelay\"\\s*:\\s*\"(\\d+(?:\\.\\d+)?)s\"");
    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE);

    private RetryAfterText() {}

    /** The delay asked for in a lower-cased message, if it names one. */
    static Optional<Duration> parse(String lowerCaseMessage) {
        Matcher header = HEADER.matcher(lowerCaseMessage);
        if (header.find()) {
            return Optional.of(millis(header.group(2), header.group(1) != null ? 1 : 1000));
        }
        Matcher sentence = SENTENCE.matcher(lowerCaseMessage);
        if (sentence.find()) {
            return Optional.of(sumOfParts(sentence.group(1)));
        }
        Matcher retryDelay = RETRY_DELAY.matcher(lowerCaseMessage);
        if (retryDelay.find()) {
            return Optional.of(millis(retryDelay.group(1), 1000));
        }
        return Optional.empty();
    }

    private static Duration sumOfParts(String spoken) {
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(spoken);
        while (part.find()) {
            total = total.plus(millis(part.group(1), millisPer(part.group(2))));
        }
        return total;
    }

    private static long millisPer(String unit) {
        if (unit.equals("ms") || unit.startsWith("milli")) {
            return 1;
        }
        return switch (unit.charAt(0)) {
            case 'h' -> 3_600_000;
            case 'm' -> 60_000;
            default -> 1000;
        };
    }

    private static Duration millis(String number, long millisPerUnit) {
        BigDecimal millis = new BigDecimal(number).multiply(BigDecimal.valueOf(millisPerUnit));
        return Duration.ofMillis(
                millis.setScale(0, RoundingMode.CEILING).min(MAX_MILLIS).longValueExact());
    }
}

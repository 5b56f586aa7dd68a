package dev.orchestra4j.core.internal.error;

import dev.orchestra4j.core.ErrorCategory;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an HTTP status code says about a failure, and where a status code hides in a message. */
final class HttpStatus {

    /** "status code: 429", "statusCode=503", "HTTP 502", "HTTP/1.1 504", "http status 401". */
    private static final Pattern IN_MESSAGE = Pattern.compile(
            "\\b(?:status(?:[ _]?code)?|http(?:/\\d(?:\\.\\d)?)?(?: status)?)\\s*[:=]?\\s*([1-5]\\d\\d)\\b");

    private HttpStatus() {}

    /** The category for an error status; empty for statuses that are not errors (below 400 or above 599). */
    static Optional<ErrorCategory> category(int status) {
        return switch (status) {
            case 429 -> Optional.of(ErrorCategory.RATE_LIMIT);
            case 401, 403 -> Optional.of(ErrorCategory.AUTHENTICATION);
            case 402 -> Optional.of(ErrorCategory.QUOTA);
            case 413 -> Optional.of(ErrorCategory.TOO_LARGE);
            case 408, 504 -> Optional.of(ErrorCategory.TIMEOUT);
            default -> byClass(status);
        };
    }

    private static Optional<ErrorCategory> byClass(int status) {
        if (status >= 500 && status <= 599) {
            return Optional.of(ErrorCategory.UNAVAILABLE); // 500, 502, 503, 529 (overloaded), ...
        }
        if (status >= 400 && status <= 499) {
            return Optional.of(ErrorCategory.INVALID_REQUEST); // 400, 404, 409, 422, ...
        }
        return Optional.empty();
    }

    /** The first error status code written into a lower-cased message, if any. */
    static Optional<ErrorCategory> categoryInMessage(String lowerCaseMessage) {
        Matcher matcher = IN_MESSAGE.matcher(lowerCaseMessage);
        while (matcher.find()) {
            Optional<ErrorCategory> category = category(Integer.parseInt(matcher.group(1)));
            if (category.isPresent()) {
                return category;
            }
        }
        return Optional.empty();
    }
}

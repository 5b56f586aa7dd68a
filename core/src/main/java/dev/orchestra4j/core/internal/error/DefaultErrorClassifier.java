package dev.orchestra4j.core.internal.error;

import dev.langchain4j.exception.HttpException;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorClassifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The default classification (SPEC §4.6). The failure and its causes (at most 16 deep) are
 * read for evidence, strongest first:
 *
 * <ol>
 *   <li>a telling phrase in any message: an exhausted quota ({@code insufficient_quota}, {@code exceeded your current
 *       quota}, …) is {@code QUOTA} although providers send it as a 429, an oversized prompt is {@code TOO_LARGE};
 *   <li>the status of a LangChain4j {@code HttpException} anywhere in the chain, because LangChain4j wraps every other
 *       4xx (402, 413, …) in an {@code InvalidRequestException}: 429 rate limit; 401, 403 authentication; 402 quota;
 *       413 too large; 408, 504 timeout; other 5xx unavailable; other 4xx invalid request;
 *   <li>the type of the outermost exception that says something: LangChain4j's {@code RetriableException} family is
 *       retryable ({@code RateLimitException}, {@code TimeoutException}, others unavailable), its
 *       {@code NonRetriableException} family is not ({@code AuthenticationException}, others invalid request); the
 *       rejections of Resilience4j's guards (circuit open and bulkhead full: unavailable; rate limiter: rate limit);
 *       the JDK's timeouts and interrupts (timeout) and I/O failures (network);
 *   <li>an HTTP status written in a message ({@code status code: 503}, {@code HTTP 429});
 *   <li>an {@link AgentException}: {@code AGENT}.
 * </ol>
 *
 * Anything else is {@code UNKNOWN}, which is not retried. {@link #retryAfter} reads the forms listed in
 * {@link RetryAfterText} from the messages of the chain.
 */
public enum DefaultErrorClassifier implements ErrorClassifier {
    INSTANCE;

    @Override
    public ErrorCategory classify(Throwable error) {
        List<Throwable> chain = CauseChain.of(error);
        List<String> messages = CauseChain.messages(chain);
        return MessageHints.category(messages)
                .or(() -> first(chain, DefaultErrorClassifier::httpStatus))
                .or(() -> first(chain, ExceptionTypes::category))
                .or(() -> first(messages, HttpStatus::categoryInMessage))
                .or(() -> first(chain, DefaultErrorClassifier::agentFailure))
                .orElse(ErrorCategory.UNKNOWN);
    }

    @Override
    public Optional<Duration> retryAfter(Throwable error) {
        return first(CauseChain.messages(CauseChain.of(error)), RetryAfterText::parse);
    }

    private static Optional<ErrorCategory> httpStatus(Throwable error) {
        return error instanceof HttpException http ? HttpStatus.category(http.statusCode()) : Optional.empty();
    }

    private static Optional<ErrorCategory> agentFailure(Throwable error) {
        return error instanceof AgentException ? Optional.of(ErrorCategory.AGENT) : Optional.empty();
    }

    private static <T, R> Optional<R> first(List<T> items, Function<T, Optional<R>> evidence) {
        for (T item : items) {
            Optional<R> found = evidence.apply(item);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}

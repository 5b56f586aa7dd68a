package dev.orchestra4j.core.internal.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.orchestra4j.core.ErrorCategory;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.FileSystemException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What the type of one exception says, ignoring its causes. Wrappers and unknown types say nothing. */
final class ExceptionTypes {

    private ExceptionTypes() {}

    static Optional<ErrorCategory> category(Throwable error) {
        return Optional.ofNullable(
                switch (error) {
                    case CallNotPermittedException e -> ErrorCategory.UNAVAILABLE; // circuit open
                    case RequestNotPermitted e -> ErrorCategory.RATE_LIMIT; // our own rate limiter
                    case BulkheadFullException e -> ErrorCategory.UNAVAILABLE;
                    case RateLimitException e -> ErrorCategory.RATE_LIMIT;
                    case dev.langchain4j.exception.TimeoutException e -> ErrorCategory.TIMEOUT;
                    case RetriableException e -> ErrorCategory.UNAVAILABLE; // InternalServerException and others
                    case AuthenticationException e -> ErrorCategory.AUTHENTICATION;
                    case UnresolvedModelServerException e -> ErrorCategory.NETWORK; // like UnknownHostException
                    case NonRetriableException e -> ErrorCategory.INVALID_REQUEST; // model not found, filtered, ...
                    case ToolExecutionException e -> ErrorCategory.TOOL;
                    case ToolArgumentsException e -> ErrorCategory.TOOL;
                    case UnsupportedFeatureException e -> ErrorCategory.INVALID_REQUEST;
                    case JsonProcessingException e -> jacksonCategory(e); // an IOException, but not the network's
                    default -> jdkCategory(error);
                });
    }

    /**
     * Jackson's parse and mapping failures ({@code StreamReadException}, {@code DatabindException} and their kin) are
     * {@code VALIDATION}: the data does not fit (malformed JSON, a string where a record was expected), and another
     * attempt would read the same data. They extend {@link IOException} only because Jackson reads streams; when the
     * stream itself failed (an I/O exception, say {@code ConnectException}, under the Jackson one) this says nothing:
     * the cause decides, as if Jackson were not there.
     */
    private static @Nullable ErrorCategory jacksonCategory(JsonProcessingException error) {
        for (Throwable cause : CauseChain.of(error)) {
            if (cause instanceof IOException && !(cause instanceof JsonProcessingException)) {
                return null;
            }
        }
        return ErrorCategory.VALIDATION;
    }

    /**
     * The JDK's timeouts and I/O failures. An interrupt counts as a timeout: the engine interrupts an agent only when
     * its step times out (SPEC §4.5), and a cancelled run is not retried whatever the category.
     */
    private static @Nullable ErrorCategory jdkCategory(Throwable error) {
        return switch (error) {
            case java.util.concurrent.TimeoutException e -> ErrorCategory.TIMEOUT;
            case InterruptedException e -> ErrorCategory.TIMEOUT;
            case InterruptedIOException e -> ErrorCategory.TIMEOUT; // SocketTimeoutException too
            case HttpTimeoutException e -> ErrorCategory.TIMEOUT;
            case ClosedByInterruptException e -> ErrorCategory.TIMEOUT;
            case FileNotFoundException e -> null; // a local file, not the network
            case FileSystemException e -> null;
            case IOException e -> ErrorCategory.NETWORK; // ConnectException, UnknownHostException, ...
            case UnresolvedAddressException e -> ErrorCategory.NETWORK;
            default -> null;
        };
    }
}

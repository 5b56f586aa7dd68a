package dev.orchestra4j.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorClassifier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

final class DefaultErrorClassifierTest {

    private final ErrorClassifier classifier = ErrorClassifier.defaults();

    static Stream<Arguments> table() {
        return Stream.of(
                row(new RateLimitException("slow down"), ErrorCategory.RATE_LIMIT),
                row(new dev.langchain4j.exception.TimeoutException("model timed out"), ErrorCategory.TIMEOUT),
                row(new InternalServerException("boom"), ErrorCategory.UNAVAILABLE),
                row(new RetriableException("try later"), ErrorCategory.UNAVAILABLE),
                row(new AuthenticationException("bad key"), ErrorCategory.AUTHENTICATION),
                row(new InvalidRequestException("bad request"), ErrorCategory.INVALID_REQUEST),
                row(new ModelNotFoundException("no such model"), ErrorCategory.INVALID_REQUEST),
                row(new ContentFilteredException("filtered"), ErrorCategory.INVALID_REQUEST),
                row(new NonRetriableException("nope"), ErrorCategory.INVALID_REQUEST),
                row(new UnresolvedModelServerException("no host"), ErrorCategory.NETWORK),
                row(new ToolExecutionException("tool broke"), ErrorCategory.TOOL),
                row(new java.util.concurrent.TimeoutException(), ErrorCategory.TIMEOUT),
                row(new InterruptedException(), ErrorCategory.TIMEOUT),
                row(new SocketTimeoutException("read timed out"), ErrorCategory.TIMEOUT),
                row(new HttpTimeoutException("request timed out"), ErrorCategory.TIMEOUT),
                row(new HttpConnectTimeoutException("connect timed out"), ErrorCategory.TIMEOUT),
                row(new ConnectException("Connection refused"), ErrorCategory.NETWORK),
                row(new UnknownHostException("api.example"), ErrorCategory.NETWORK),
                row(new IOException("connection reset"), ErrorCategory.NETWORK),
                row(new FileNotFoundException("notes.txt"), ErrorCategory.UNKNOWN),
                row(
                        CallNotPermittedException.createCallNotPermittedException(openBreaker()),
                        ErrorCategory.UNAVAILABLE),
                row(
                        RequestNotPermitted.createRequestNotPermitted(RateLimiter.ofDefaults("a")),
                        ErrorCategory.RATE_LIMIT),
                row(
                        BulkheadFullException.createBulkheadFullException(Bulkhead.ofDefaults("a")),
                        ErrorCategory.UNAVAILABLE),
                row(new AgentException("agent 'x' returned garbage"), ErrorCategory.AGENT),
                row(new IllegalStateException("bug"), ErrorCategory.UNKNOWN),
                row(new RuntimeException(), ErrorCategory.UNKNOWN));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void classify_knownException_givesItsCategory(Throwable error, ErrorCategory expected) {
        assertThat(classifier.classify(error)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "429, RATE_LIMIT",
        "401, AUTHENTICATION",
        "403, AUTHENTICATION",
        "400, INVALID_REQUEST",
        "404, INVALID_REQUEST",
        "422, INVALID_REQUEST",
        "409, INVALID_REQUEST",
        "402, QUOTA",
        "413, TOO_LARGE",
        "408, TIMEOUT",
        "504, TIMEOUT",
        "500, UNAVAILABLE",
        "502, UNAVAILABLE",
        "503, UNAVAILABLE",
        "529, UNAVAILABLE",
        "302, UNKNOWN"
    })
    void classify_httpException_mapsStatus(int status, ErrorCategory expected) {
        assertThat(classifier.classify(new HttpException(status, "{\"error\":\"x\"}")))
                .isEqualTo(expected);
    }

    @Test
    void classify_langChain4jWrapsStatusInInvalidRequest_statusWins() {
        // LangChain4j's ExceptionMapper turns every unlisted 4xx into InvalidRequestException(cause HttpException)
        assertThat(classifier.classify(new InvalidRequestException(new HttpException(402, "pay up"))))
                .isEqualTo(ErrorCategory.QUOTA);
        assertThat(classifier.classify(new InvalidRequestException(new HttpException(413, "too big"))))
                .isEqualTo(ErrorCategory.TOO_LARGE);
    }

    @Test
    void classify_wrappedCause_walksToTheCause() {
        Throwable wrapped = new CompletionException(new ExecutionException(
                new AgentException("step failed", new LangChain4jException(new RateLimitException("429")))));

        assertThat(classifier.classify(wrapped)).isEqualTo(ErrorCategory.RATE_LIMIT);
        assertThat(classifier.classify(new UncheckedIOException(new ConnectException("refused"))))
                .isEqualTo(ErrorCategory.NETWORK);
    }

    @Test
    void classify_causeDeeperThanLimit_isNotRead() {
        Throwable error = new RateLimitException("deep");
        for (int i = 0; i < CauseChain.MAX_DEPTH; i++) {
            error = new RuntimeException("wrapper " + i, error);
        }

        assertThat(classifier.classify(error)).isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(classifier.classify(error.getCause())).isEqualTo(ErrorCategory.RATE_LIMIT);
    }

    @Test
    void classify_causeCycle_terminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(classifier.classify(a)).isEqualTo(ErrorCategory.UNKNOWN);
    }

    /** What {@code two apples please} and friends do to a record; Jackson's own exceptions, as an agent meets them. */
    record Order(String item, int qty) {
        Order {
            if (qty <= 0) {
                throw new IllegalArgumentException("qty must be positive, was " + qty);
            }
        }
    }

    static Stream<Arguments> jacksonFailures() {
        ObjectMapper mapper = new ObjectMapper();
        return Stream.of(
                row(
                        jackson(() -> mapper.readTree("two apples please")),
                        ErrorCategory.VALIDATION), // JsonParseException
                row(jackson(() -> mapper.readValue("{\"item\": ", Order.class)), ErrorCategory.VALIDATION), // EOF
                row(jackson(() -> mapper.readValue("\"two apples please\"", Order.class)), ErrorCategory.VALIDATION),
                row(jackson(() -> mapper.readValue("{\"qty\": \"two\"}", Order.class)), ErrorCategory.VALIDATION),
                row(jackson(() -> mapper.readValue("{\"qty\": 0}", Order.class)), ErrorCategory.VALIDATION),
                // TypedValues.convert: an IllegalArgumentException around Jackson's, inside the agent's failure
                row(convert("two apples please"), ErrorCategory.VALIDATION),
                row(new AgentException("agent 'A' failed", convert("two apples please")), ErrorCategory.VALIDATION),
                // the stream under Jackson failed: the cause decides, as if Jackson were not there
                row(
                        JsonMappingException.wrapWithPath(new ConnectException("refused"), Order.class, "item"),
                        ErrorCategory.NETWORK),
                row(
                        new JsonMappingException(null, "reading the body", new SocketTimeoutException("read")),
                        ErrorCategory.TIMEOUT),
                row(
                        new JsonMappingException(null, "reading", new UncheckedIOException(new UnknownHostException())),
                        ErrorCategory.NETWORK),
                row(new IOException("reading the body", new ConnectException("refused")), ErrorCategory.NETWORK));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("jacksonFailures")
    void classify_jacksonFailure_isValidationUnlessTheStreamUnderItFailed(Throwable error, ErrorCategory expected) {
        assertThat(classifier.classify(error)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "You exceeded your current quota, please check your plan and billing details.",
                "{\"error\": {\"code\": \"insufficient_quota\"}}",
                "Insufficient credits. Add more using https://openrouter.ai/credits",
                "Your credit balance is too low to access the Anthropic API."
            })
    void classify_quotaText_isQuotaEvenAsRateLimit(String body) {
        assertThat(classifier.classify(new RateLimitException(new HttpException(429, body))))
                .isEqualTo(ErrorCategory.QUOTA);
    }

    @Test
    void classify_contextTooLong_isTooLarge() {
        HttpException body = new HttpException(400, "This model's maximum context length is 8192 tokens.");

        assertThat(classifier.classify(new InvalidRequestException(body))).isEqualTo(ErrorCategory.TOO_LARGE);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "upstream said: status code: 503 | UNAVAILABLE",
                "statusCode=429 from gateway | RATE_LIMIT",
                "HTTP 401 Unauthorized | AUTHENTICATION",
                "HTTP/1.1 504 Gateway Timeout | TIMEOUT",
                "processed 503 records | UNKNOWN"
            })
    void classify_statusInPlainMessage_isRead(String message, ErrorCategory expected) {
        assertThat(classifier.classify(new IllegalStateException(message))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Rate limited. Retry-After: 7 | PT7S",
                "headers {retry-after=1.5} | PT1.5S",
                "{\"retry-after\": \"12\"} | PT12S",
                "retry-after-ms: 250 | PT0.25S",
                "Rate limit reached for gpt-4o. Please try again in 1.898s. Visit ... | PT1.898S",
                "Please try again in 20ms. | PT0.02S",
                "Please try again in 6m0s. | PT6M",
                "Please try again in 1h2m3s | PT1H2M3S",
                "You can retry after 30 seconds | PT30S",
                "\"retryDelay\": \"33s\" | PT33S"
            })
    void retryAfter_supportedForms_areParsed(String message, Duration expected) {
        assertThat(classifier.retryAfter(new RateLimitException(new HttpException(429, message))))
                .contains(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"Rate limited", "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT", "retry later please"})
    void retryAfter_absentOrUnsupported_isEmpty(String message) {
        assertThat(classifier.retryAfter(new RateLimitException(message))).isEmpty();
    }

    @Test
    void retryAfter_hugeValue_doesNotOverflow() {
        assertThat(classifier.retryAfter(new RuntimeException("retry-after: 99999999999999999999999")))
                .hasValueSatisfying(d -> assertThat(d).isPositive());
    }

    @Property
    void classifyAndRetryAfter_arbitraryMessages_neverThrow(@ForAll String message, @ForAll String causeMessage) {
        RuntimeException error = new RuntimeException(message, new IllegalStateException(causeMessage));

        assertThat(classifier.classify(error)).isNotNull();
        assertThat(classifier.retryAfter(error)).isNotNull();
    }

    private interface Parse {
        void run() throws JsonProcessingException;
    }

    private static Throwable jackson(Parse parse) {
        Throwable thrown = catchThrowable(parse::run);
        assertThat(thrown).isInstanceOf(JsonProcessingException.class);
        return thrown;
    }

    /** What {@code Json.MAPPER.convertValue} throws for a value that is not an {@link Order}. */
    private static Throwable convert(Object value) {
        Throwable thrown = catchThrowable(() -> new ObjectMapper().convertValue(value, Order.class));
        assertThat(thrown)
                .isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(JsonProcessingException.class);
        return new IllegalArgumentException("cannot convert input of agent 'A': " + thrown.getMessage(), thrown);
    }

    private static Arguments row(Throwable error, ErrorCategory category) {
        return Arguments.of(error, category);
    }

    private static CircuitBreaker openBreaker() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("a");
        breaker.transitionToOpenState();
        return breaker;
    }
}

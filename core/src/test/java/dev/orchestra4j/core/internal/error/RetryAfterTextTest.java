package dev.orchestra4j.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of reading a Retry-After out of text; the table of supported forms is in DefaultErrorClassifierTest. */
final class RetryAfterTextTest {

    @Property
    void parse_headerSeconds_givesThoseSeconds(@ForAll @LongRange(min = 0, max = 1_000_000) long seconds) {
        String message = "HTTP 429 Too Many Requests; Retry-After: " + seconds + "\n{\"error\":\"slow down\"}";

        assertThat(RetryAfterText.parse(message.toLowerCase(Locale.ROOT))).contains(Duration.ofSeconds(seconds));
    }

    @Property
    void parse_spokenHoursMinutesSecondsMillis_addsUp(
            @ForAll @IntRange(max = 5) int hours,
            @ForAll @IntRange(max = 59) int minutes,
            @ForAll @IntRange(max = 59) int seconds,
            @ForAll @IntRange(max = 999) int millis) {
        String spoken = hours + "h" + minutes + "m" + seconds + "s" + (millis > 0 ? " " + millis + "ms" : "");
        Duration expected = Duration.ofHours(hours)
                .plusMinutes(minutes)
                .plusSeconds(seconds)
                .plusMillis(millis);

        assertThat(RetryAfterText.parse("please try again in " + spoken + ".")).contains(expected);
    }

    @Property
    void parse_fractionalSeconds_roundsUpToTheMillisecond(@ForAll @IntRange(min = 0, max = 100_000) int micros) {
        String seconds = String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
        long expectedMillis = (micros + 999) / 1000;

        assertThat(RetryAfterText.parse("try again in " + seconds + "s")).contains(Duration.ofMillis(expectedMillis));
    }
}

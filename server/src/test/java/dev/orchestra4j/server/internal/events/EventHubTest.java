package dev.orchestra4j.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class EventHubTest {

    @Test
    void subscribe_afterLastEventId_replaysOnlyNewerEvents() throws Exception {
        EventHub hub = new EventHub(100, 10, 100);
        for (int i = 1; i <= 5; i++) {
            hub.publish("s", "e", "{\"n\":" + i + "}");
        }

        Subscription sub = hub.subscribe("s", 3);
        hub.publish("s", "e", "{\"n\":6}");

        assertThat(sub.replay()).extracting(ServerEvent::id).containsExactly(4L, 5L);
        assertThat(sub.next(Duration.ofSeconds(1)).id()).isEqualTo(6L);
    }

    @Test
    void publish_toSlowClient_cutsItOffWithReason_andNeverBlocks() throws Exception {
        EventHub hub = new EventHub(100, 3, 100);
        Subscription slow = hub.subscribe("s", 0);
        Subscription other = hub.subscribe("t", 0);

        for (int i = 0; i < 50; i++) {
            hub.publish("s", "e", "{}");
        }

        ServerEvent end = slow.next(Duration.ofSeconds(1));
        assertThat(Subscription.isEnd(end)).isTrue();
        assertThat(slow.endReason()).contains("client too slow").contains("'s'");
        assertThat(hub.cutOffCount()).isEqualTo(1);
        hub.publish("t", "e", "{}");
        assertThat(other.next(Duration.ofSeconds(1)).id()).isEqualTo(1L);
    }

    @Test
    void retained_keepsOnlyTheLastEventsForReplay() {
        EventHub hub = new EventHub(2, 10, 100);
        for (int i = 0; i < 5; i++) {
            hub.publish("s", "e", "{}");
        }

        assertThat(hub.subscribe("s", 0).replay()).extracting(ServerEvent::id).containsExactly(4L, 5L);
    }
}

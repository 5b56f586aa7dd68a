package dev.orchestra4j.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class EventHubTest {

    private final StorageBackend backend = StorageBackends.inMemory();

    private static List<ServerEvent> drained(Subscription s) {
        List<ServerEvent> out = new ArrayList<>();
        s.drain(out);
        return out;
    }

    @Test
    void subscribe_afterLastEventId_replaysOnlyNewerEvents() throws Exception {
        EventHub hub = new EventHub(backend, 100, 10, 100);
        for (int i = 1; i <= 5; i++) {
            hub.publish("s", "e", "{\"n\":" + i + "}");
        }

        Subscription sub = hub.subscribe("s", 3);
        hub.publish("s", "e", "{\"n\":6}");

        assertThat(sub.replay()).extracting(ServerEvent::id).containsExactly(4L, 5L);
        assertThat(sub.await(Duration.ofSeconds(1))).isTrue();
        assertThat(drained(sub)).extracting(ServerEvent::data).containsExactly("{\"n\":6}");
    }

    @Test
    void tail_eventsAnotherServerAppends_reachThisServersSubscribersLive_inOrder_once() throws Exception {
        EventHub runsIt = new EventHub(backend, 100, 10, 100); // two servers sharing one store
        EventHub listensHere = new EventHub(backend, 100, 10, 100);
        runsIt.publish("session:x", "step_started", "{\"n\":1}");
        Subscription sub = listensHere.subscribe("session:x", 0);
        assertThat(sub.replay()).extracting(ServerEvent::id).containsExactly(1L);

        runsIt.publish("session:x", "step_completed", "{\"n\":2}");
        runsIt.publish("session:x", "status", "{\"n\":3}");
        runsIt.publish("session:other", "status", "{}"); // nobody here listens to it: not read

        assertThat(sub.await(Duration.ZERO))
                .as("nothing until this server looks")
                .isFalse();
        assertThat(listensHere.tailOnce()).isEqualTo(2);
        assertThat(sub.await(Duration.ofSeconds(10))).isTrue();
        assertThat(drained(sub)).extracting(ServerEvent::id).containsExactly(2L, 3L);
        assertThat(listensHere.tailOnce()).as("each event is taken once").isZero();

        listensHere.publish("session:x", "note", "{}"); // this server appends too: ids go on after the others'
        assertThat(sub.await(Duration.ofSeconds(10))).isTrue();
        assertThat(drained(sub)).extracting(ServerEvent::id).containsExactly(4L);
    }

    @Test
    void tailEvery_notPositive_isRefusedNamingTheValue() {
        EventHub hub = new EventHub(backend, 100, 10, 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.tailEvery(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
    }

    @Test
    void await_wakesWhenAnotherThreadPublishes() throws Exception {
        EventHub hub = new EventHub(backend, 100, 10, 100);
        Subscription sub = hub.subscribe("s", 0);
        Thread publisher = Thread.ofVirtual().start(() -> hub.publish("s", "e", "{}"));

        assertThat(sub.await(Duration.ofSeconds(10))).isTrue();
        publisher.join();
        assertThat(drained(sub)).extracting(ServerEvent::id).containsExactly(1L);
        assertThat(sub.await(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void publish_toSlowClient_cutsItOffWithReason_andNeverBlocks() throws Exception {
        EventHub hub = new EventHub(backend, 100, 3, 100);
        Subscription slow = hub.subscribe("s", 0);
        Subscription other = hub.subscribe("t", 0);

        for (int i = 0; i < 50; i++) {
            hub.publish("s", "e", "{}");
        }

        assertThat(slow.ended())
                .as("cut off by the publisher, before its writer looks")
                .isTrue();
        assertThat(slow.await(Duration.ofSeconds(1))).isTrue();
        List<ServerEvent> got = new ArrayList<>();
        assertThat(slow.drain(got)).isFalse();
        assertThat(got).isEmpty();
        assertThat(slow.endReason()).contains("client too slow").contains("'s'").contains("Last-Event-ID 0");
        assertThat(hub.cutOffCount()).isEqualTo(1);
        hub.publish("t", "e", "{}");
        assertThat(drained(other)).extracting(ServerEvent::id).containsExactly(1L);
    }

    @Test
    void retained_keepsOnlyTheLastEventsForReplay() {
        EventHub hub = new EventHub(backend, 2, 10, 100);
        for (int i = 0; i < 5; i++) {
            hub.publish("s", "e", "{}");
        }

        assertThat(hub.subscribe("s", 0).replay()).extracting(ServerEvent::id).containsExactly(4L, 5L);
    }

    @Test
    void storedEvents_survivingANewHub_continueTheIdsAndReplay() {
        EventHub first = new EventHub(backend, 100, 10, 100);
        for (int i = 1; i <= 3; i++) {
            first.publish("workflow:w", "task", "{\"n\":" + i + "}");
        }

        EventHub second = new EventHub(backend, 100, 10, 100);
        assertThat(second.subscribe("workflow:w", 1).replay())
                .extracting(ServerEvent::id, ServerEvent::data)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "{\"n\":2}"),
                        org.assertj.core.groups.Tuple.tuple(3L, "{\"n\":3}"));
        assertThat(second.publish("workflow:w", "task", "{}").id()).isEqualTo(4L);
    }

    @Test
    void storage_isBounded_toTheRetainedEvents() {
        EventHub hub = new EventHub(backend, 10, 10, 100);
        for (int i = 0; i < 500; i++) {
            hub.publish("s", "e", "{}");
        }

        assertThat(backend.readJournal("server/events/s", 0).size()).isLessThanOrEqualTo(10 + 64);
        assertThat(new EventHub(backend, 10, 10, 100).subscribe("s", 0).replay())
                .extracting(ServerEvent::id)
                .containsExactly(491L, 492L, 493L, 494L, 495L, 496L, 497L, 498L, 499L, 500L);
    }

    @Test
    void twoHubsOnOneStore_takeEachOthersEvents_noIdTwice() {
        EventHub a = new EventHub(backend, 100, 10, 100);
        EventHub b = new EventHub(backend, 100, 10, 100);
        a.publish("s", "e", "{\"from\":\"a\"}");
        b.publish("s", "e", "{\"from\":\"b\"}");
        Subscription onA = a.subscribe("s", 0);

        assertThat(a.publish("s", "e", "{\"from\":\"a\"}").id()).isEqualTo(3L);
        assertThat(onA.replay()).extracting(ServerEvent::id).containsExactly(1L);
        assertThat(drained(onA))
                .extracting(ServerEvent::id, ServerEvent::data)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "{\"from\":\"b\"}"),
                        org.assertj.core.groups.Tuple.tuple(3L, "{\"from\":\"a\"}"));
    }

    @Test
    void catchingUpOnMoreThanTheRingHolds_stillReplaysTheRetainedEvents() {
        EventHub a = new EventHub(backend, 5, 3, 100);
        EventHub b = new EventHub(backend, 5, 3, 100);
        a.publish("s", "e", "{}");
        for (int i = 0; i < 20; i++) {
            b.publish("s", "e", "{\"n\":" + i + "}");
        }

        assertThat(a.publish("s", "e", "{}").id()).isEqualTo(22L);
        assertThat(a.subscribe("s", 15).replay()).extracting(ServerEvent::id).containsExactly(18L, 19L, 20L, 21L, 22L);
    }

    @Test
    void forget_deletesTheStoredEvents_andEndsTheSubscribers() {
        EventHub hub = new EventHub(backend, 100, 10, 100);
        hub.publish("workflow:w", "task", "{}");
        Subscription sub = hub.subscribe("workflow:w", 0);

        hub.forget("workflow:w");

        assertThat(sub.endReason()).contains("was deleted");
        assertThat(backend.lastJournalSequence("server/events/workflow:w")).isZero();
        assertThat(hub.publish("workflow:w", "task", "{}").id()).isEqualTo(1L);
    }

    @Test
    void multiLineData_isRefused() {
        EventHub hub = new EventHub(backend, 100, 10, 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.publish("s", "e", "{\n}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one line");
    }
}

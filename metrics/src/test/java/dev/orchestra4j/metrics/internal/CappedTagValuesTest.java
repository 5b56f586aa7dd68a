package dev.orchestra4j.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class CappedTagValuesTest {

    @Test
    void valueOf_underCap_keepsValuesAndAdmittedStayAdmitted() {
        CappedTagValues agents = new CappedTagValues("agent", 2);

        assertThat(List.of("A", "B", "C", "A", "B", "C").stream().map(agents::valueOf))
                .containsExactly("A", "B", "other", "A", "B", "other");
    }

    @Test
    void valueOf_manyThreadsRacingNewValues_neverAdmitsMoreThanCap() throws Exception {
        CappedTagValues agents = new CappedTagValues("agent", 10);
        Set<String> admitted = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = IntStream.range(0, 100)
                    .mapToObj(i -> pool.submit(() -> {
                        go.await();
                        admitted.add(agents.valueOf("agent-" + i));
                        return null;
                    }))
                    .<Future<?>>map(f -> f)
                    .toList();
            go.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }

        assertThat(admitted).hasSize(11).contains("other");
    }
}

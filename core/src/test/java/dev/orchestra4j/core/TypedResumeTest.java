package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records in the context, in inputs and in outputs keep their Java type when a session is resumed from storage by a
 * fresh instance with fresh storage objects (nothing shared in memory: what comes back was read from the files).
 */
final class TypedResumeTest {

    enum Size {
        SMALL,
        LARGE
    }

    record Order(String item, int quantity, Size size) {}

    record Quote(String supplier, double price) {}

    record Receipt(Order order, String approvedBy) {}

    @TempDir
    Path dir;

    private final List<String> seen = new CopyOnWriteArrayList<>();

    private AgentRegistry agents() {
        return AgentRegistry.create()
                .register("Buyer", r -> switch (r.received()) {
                    case Input.Task task ->
                        AgentResponse.parallel(
                                Invocation.of("Supplier", r.context().get("order")));
                    case Input.Joined joined -> {
                        seen.add("quote is "
                                + joined.arrivals()
                                        .getFirst()
                                        .value()
                                        .getClass()
                                        .getSimpleName());
                        yield AgentResponse.askUser(
                                "approve " + joined.arrivals().getFirst().value() + "?");
                    }
                    case Input.Answer answer -> {
                        Object order = r.context().get("order");
                        seen.add("order is " + order.getClass().getSimpleName());
                        yield AgentResponse.finish(new Receipt((Order) order, answer.text()));
                    }
                    case Input.Message message -> AgentResponse.fail("unexpected message");
                    case Input.ErrorRoute route -> AgentResponse.fail("unexpected error route");
                })
                .register("Supplier", r -> {
                    seen.add("supplier got " + r.input().getClass().getSimpleName());
                    Order order = r.input(Order.class);
                    return AgentResponse.finish(new Quote("ACME", 2.5 * order.quantity()));
                });
    }

    private OrchestraInstance instance() {
        Topology t = Topology.builder()
                .edge("Start -> Buyer")
                .edge("Buyer <-> Supplier")
                .edge("Buyer -> User")
                .edge("Buyer -> End")
                .build();
        return OrchestraInstance.builder()
                .topology(t)
                .agents(agents())
                .stateManager(new StateManager(new FileStorageBackend(dir)))
                .build();
    }

    @Test
    void respond_inAFreshInstance_contextInputsAndOutputsKeepTheirRecordTypes() {
        Order order = new Order("pen", 2, Size.SMALL);
        OrchestraResult waiting = instance().execute("buy", Map.of("session_id", "typed-1", "order", order), 20);
        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);

        OrchestraResult done = instance().respond("typed-1", "alice");

        assertThat(done.success()).as(done.error().orElse("")).isTrue();
        assertThat(seen).containsExactly("supplier got Order", "quote is Quote", "order is Order");
        assertThat(done.finalResponse()).isEqualTo(new Receipt(order, "alice"));
        assertThat(done.finalResponse(Receipt.class).order().size()).isEqualTo(Size.SMALL);
        BranchResult supplier = done.branchResults().stream()
                .filter(b -> b.agents().contains("Supplier"))
                .findFirst()
                .orElseThrow();
        assertThat(supplier.output()).isEqualTo(new Quote("ACME", 5.0));
        assertThat(done.executionTrace())
                .filteredOn(step -> step.agent().equals("Supplier"))
                .extracting(TraceStep::input, TraceStep::output)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(order, new Quote("ACME", 5.0)));
    }
}

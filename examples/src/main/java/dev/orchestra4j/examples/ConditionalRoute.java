package dev.orchestra4j.examples;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Routing by labels. The {@code Validator} checks an order and replies with the label {@code valid} or
 * {@code invalid}; the edges' {@code [when …]} conditions pick the next agent. The {@code Fixer} repairs what it can
 * and sends the order back for another check; a valid order goes on to the {@code Processor}.
 *
 * <pre>
 * Start -> Validator
 * Validator -> Processor [when valid]
 * Validator -> Fixer [when invalid]
 * Fixer -> Validator
 * Processor -> End
 * </pre>
 *
 * <p>The Validator–Fixer cycle is legal because it has an exit (Processor reaches End). An order the Fixer cannot
 * repair fails the run with the Fixer's reason, and the Processor never sees it.
 */
public final class ConditionalRoute {

    /** An order as it arrives from a web form. */
    public record Order(String sku, int quantity, String email) {

        /** What is wrong with the order; empty when it is valid. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (!sku.matches("[A-Z]{3}-\\d{3}")) {
                problems.add("sku '" + sku + "' is not like ABC-123");
            }
            if (quantity < 1 || quantity > 100) {
                problems.add("quantity " + quantity + " is not within 1..100");
            }
            if (!email.matches("[^@\\s]+@[^@\\s]+\\.[a-z]+")) {
                problems.add("email '" + email + "' is not an address");
            }
            return problems;
        }

        /** The order as a task map: {@code sku}, {@code quantity}, {@code email}. */
        public Map<String, Object> toMap() {
            return Map.of("sku", sku, "quantity", quantity, "email", email);
        }
    }

    /** A messy but repairable order. */
    public static final Order SAMPLE_ORDER = new Order("abc-123", 3, " Ada.Lovelace at Example.org ");

    private ConditionalRoute() {}

    public static Topology topology() {
        return Topology.builder()
                .edge("Start -> Validator")
                .edge("Validator -> Processor [when valid]")
                .edge("Validator -> Fixer [when invalid]")
                .edge("Fixer -> Validator")
                .edge("Processor -> End")
                .build();
    }

    public static AgentRegistry agents() {
        return AgentRegistry.create()
                .register("Validator", request -> {
                    Order order = request.input(Order.class); // the task map, converted by Jackson
                    return AgentResponse.reply(order).label(order.problems().isEmpty() ? "valid" : "invalid");
                })
                .register("Fixer", ConditionalRoute::fix)
                .register("Processor", request -> {
                    Order order = request.input(Order.class);
                    return AgentResponse.finish(
                            "accepted: " + order.quantity() + " x " + order.sku() + " for " + order.email());
                });
    }

    /** Validates, repairs and processes {@code order} (the task is the order as a Map). */
    public static OrchestraResult run(Order order, RunOptions.Builder options) {
        return Orchestra.run(order.toMap(), topology(), options.agents(agents()).build());
    }

    /** Repairs the casing of the sku and the spelling of the e-mail; a bad quantity cannot be guessed. */
    private static AgentResponse fix(AgentRequest request) {
        Order order = (Order) request.input();
        if (order.quantity() < 1 || order.quantity() > 100) {
            return AgentResponse.fail("cannot fix quantity " + order.quantity() + ": ask the customer");
        }
        String email = order.email().strip().toLowerCase(Locale.ROOT).replace(" at ", "@");
        return AgentResponse.handOff(
                "Validator", new Order(order.sku().toUpperCase(Locale.ROOT), order.quantity(), email));
    }
}

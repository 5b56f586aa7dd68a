package dev.orchestra4j.flow.internal;

import dev.orchestra4j.topology.Node;
import java.util.Optional;

/** Which user-given ids can name a node: not reserved, no forbidden characters, no {@code #} (synthetic nodes). */
public final class NodeNames {

    /** Marks the names of nodes the compilers add (gates, hubs, collectors); user ids never contain it. */
    public static final char SYNTHETIC = '#';

    private NodeNames() {}

    /** Why {@code id} cannot name a step's node, or empty when it can. */
    public static Optional<String> problem(String id) {
        if (id.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (id.equals(Node.START) || id.equals(Node.END) || id.equals(Node.USER)) {
            return Optional.of("'" + id + "' is a reserved node name (Start, End and User are)");
        }
        if (id.indexOf(SYNTHETIC) >= 0) {
            return Optional.of("'" + id + "' contains '#', which only the compiler's synthetic nodes use");
        }
        try {
            Node.of(id);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + id + "' cannot name a node: " + e.getMessage());
        }
    }
}

package dev.orchestra4j.core.internal.error;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A failure and its causes, outermost first, bounded in depth and safe against cause cycles. */
final class CauseChain {

    static final int MAX_DEPTH = 16;

    private CauseChain() {}

    static List<Throwable> of(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        @Nullable Throwable current = error;
        while (current != null && chain.size() < MAX_DEPTH && seen.add(current)) {
            chain.add(current);
            current = current.getCause();
        }
        return chain;
    }

    /** The messages of the chain, lower-cased, skipping the ones that are absent. */
    static List<String> messages(List<Throwable> chain) {
        List<String> messages = new ArrayList<>(chain.size());
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                messages.add(message.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return messages;
    }
}

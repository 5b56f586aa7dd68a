package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/** A session started without waiting: its id now, its result when this leg stops. */
public record SessionHandle(String id, CompletableFuture<OrchestraResult> result) {

    public SessionHandle {
        requireNonNull(id, "id");
        requireNonNull(result, "result");
    }

    /** Waits for the result of this leg. */
    public OrchestraResult await() {
        return Orchestra.await(result);
    }
}

package dev.orchestra4j.server.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StorageBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's own JSON records in the same {@link StorageBackend} as the sessions, under {@code server/<kind>/<id>}
 * (kinds: {@code sessions}, {@code results}, {@code workflows}, {@code runs}). Several servers sharing one backend
 * (PostgreSQL, Redis) therefore see the same records.
 */
public final class RecordStore {

    private static final String ROOT = "server/";

    private final StorageBackend backend;

    public RecordStore(StorageBackend backend) {
        this.backend = backend;
    }

    public void put(String kind, String id, ObjectNode record) {
        backend.write(key(kind, id), Json.write(record).getBytes(StandardCharsets.UTF_8));
    }

    /** Stores the record only if none exists yet; false when the id is taken. */
    public boolean create(String kind, String id, ObjectNode record) {
        return backend.compareAndSet(key(kind, id), 0, Json.write(record).getBytes(StandardCharsets.UTF_8))
                .isPresent();
    }

    public Optional<ObjectNode> get(String kind, String id) {
        return backend.read(key(kind, id)).map(v -> decode(kind, id, v.value()));
    }

    public boolean delete(String kind, String id) {
        return backend.delete(key(kind, id));
    }

    public List<String> ids(String kind) {
        String prefix = ROOT + kind + "/";
        List<String> ids = new ArrayList<>();
        for (String key : backend.list(prefix)) {
            ids.add(key.substring(prefix.length()));
        }
        return ids;
    }

    public List<ObjectNode> all(String kind) {
        List<ObjectNode> records = new ArrayList<>();
        for (String id : ids(kind)) {
            get(kind, id).ifPresent(records::add);
        }
        return records;
    }

    public String backendName() {
        return backend.name();
    }

    private static String key(String kind, String id) {
        return ROOT + kind + "/" + id;
    }

    private static ObjectNode decode(String kind, String id, byte[] bytes) {
        try {
            return (ObjectNode) Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | ClassCastException e) {
            throw new StateException("stored " + kind + " record '" + id + "' is not a JSON object", e);
        }
    }
}

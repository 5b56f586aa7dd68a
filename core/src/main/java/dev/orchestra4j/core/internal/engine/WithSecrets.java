package dev.orchestra4j.core.internal.engine;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The context agents see when a session has secrets: a live, read-only view of the session context with the secrets
 * laid over it. The secrets live only here (and in the spec), never in the session state that is stored.
 */
final class WithSecrets extends AbstractMap<String, Object> {

    private final Map<String, Object> context;
    private final Map<String, Object> secrets;

    WithSecrets(Map<String, Object> context, Map<String, Object> secrets) {
        this.context = context;
        this.secrets = secrets;
    }

    @Override
    public Object get(Object key) {
        Object secret = secrets.get(key);
        return secret != null ? secret : context.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return secrets.containsKey(key) || context.containsKey(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> merged = new LinkedHashMap<>(context);
        merged.putAll(secrets);
        return java.util.Collections.unmodifiableMap(merged).entrySet();
    }
}

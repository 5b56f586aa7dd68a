package dev.orchestra4j.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces the text of a session's secrets ({@code RunOptions.Builder#secret}) wherever it occurs in a JSON tree about
 * to be stored: in the task, context values, agent memories, tool arguments and results, error messages. Secrets
 * themselves are never put into a snapshot; this catches agents and tools that echo them.
 */
public final class SecretMask {

    /** Secrets shorter than this are not searched for: masking "1" would destroy unrelated data. */
    static final int MIN_LENGTH = 4;

    private static final SecretMask NONE = new SecretMask(List.of());

    private final List<Map.Entry<String, String>> secrets;

    private SecretMask(List<Map.Entry<String, String>> secrets) {
        this.secrets = secrets;
    }

    /** A mask for {@code secrets} (key to value; the value's text is what is searched for). */
    public static SecretMask of(Map<String, ?> secrets) {
        List<Map.Entry<String, String>> texts = new ArrayList<>();
        secrets.forEach((key, value) -> {
            String text = Objects.toString(value);
            if (text.length() >= MIN_LENGTH) {
                texts.add(Map.entry(key, text));
            }
        });
        texts.sort((a, b) -> b.getValue().length() - a.getValue().length()); // longest first: no partial leftovers
        return texts.isEmpty() ? NONE : new SecretMask(List.copyOf(texts));
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** {@code tree} with every secret's text replaced by {@code [secret:key]}; the tree is changed in place. */
    public JsonNode apply(JsonNode tree) {
        if (secrets.isEmpty()) {
            return tree;
        }
        return walk(tree);
    }

    /** {@code text} with every secret replaced. */
    public String apply(String text) {
        String out = text;
        for (Map.Entry<String, String> secret : secrets) {
            if (out.contains(secret.getValue())) {
                out = out.replace(secret.getValue(), "[secret:" + secret.getKey() + "]");
            }
        }
        return out;
    }

    private JsonNode walk(JsonNode node) {
        if (node instanceof TextNode text) {
            String masked = apply(text.textValue());
            return masked.equals(text.textValue()) ? node : TextNode.valueOf(masked);
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                JsonNode masked = walk(child);
                String maskedName = apply(name);
                if (!maskedName.equals(name)) {
                    object.remove(name);
                }
                if (masked != child || !maskedName.equals(name)) {
                    object.set(maskedName, masked);
                }
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                JsonNode masked = walk(child);
                if (masked != child) {
                    array.set(i, masked);
                }
            }
        }
        return node;
    }
}

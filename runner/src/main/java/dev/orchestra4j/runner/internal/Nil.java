package dev.orchestra4j.runner.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liqp.TemplateContext;
import liqp.blocks.Block;
import liqp.nodes.LNode;
import org.jspecify.annotations.Nullable;

/** A present-but-null template value: renders as empty text, is false in conditions, and is known to strict mode. */
final class Nil implements CharSequence {

    static final Nil NIL = new Nil();

    private Nil() {}

    static boolean isTruthy(@Nullable Object value) {
        return value != null && value != NIL && !Boolean.FALSE.equals(value);
    }

    static Object replaceNulls(@Nullable Object value) {
        if (value == null) {
            return NIL;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), replaceNulls(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(replaceNulls(v)));
            return out;
        }
        return value;
    }

    @Override
    public int length() {
        return 0;
    }

    @Override
    public char charAt(int index) {
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return "";
    }

    @Override
    public String toString() {
        return "";
    }

    /** {@code if}, with {@link Nil} false. */
    static final class NilAwareIf extends Block {
        NilAwareIf() {
            super("if");
        }

        @Override
        public @Nullable Object render(TemplateContext context, LNode... nodes) {
            for (int i = 0; i < nodes.length - 1; i += 2) {
                if (Nil.isTruthy(nodes[i].render(context))) {
                    return nodes[i + 1].render(context);
                }
            }
            return null;
        }
    }

    /** {@code unless}, with {@link Nil} false. */
    static final class NilAwareUnless extends Block {
        NilAwareUnless() {
            super("unless");
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            for (int i = 0; i < nodes.length - 1; i += 2) {
                if (!Nil.isTruthy(nodes[i].render(context))) {
                    return nodes[i + 1].render(context);
                }
            }
            return "";
        }
    }
}

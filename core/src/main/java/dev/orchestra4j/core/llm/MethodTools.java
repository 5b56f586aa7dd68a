package dev.orchestra4j.core.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.orchestra4j.core.internal.Json;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@code @Tool} methods of an object into {@link RegularTool}s: LangChain4j describes them, and a small
 * reflective handler binds the model's JSON arguments to the parameters by name (Jackson converts the values). Tools
 * are ordered by method name so the model sees the same list on every run; {@code @ToolMemoryId} parameters get
 * the session id.
 */
final class MethodTools {

    private MethodTools() {}

    static List<RegularTool> from(Object target) {
        List<RegularTool> tools = new ArrayList<>();
        Method[] methods = target.getClass().getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (method.isAnnotationPresent(Tool.class)) {
                method.setAccessible(true);
                tools.add(new RegularTool(
                        ToolSpecifications.toolSpecificationFrom(method),
                        (call, memoryId) -> invoke(target, method, call, memoryId)));
            }
        }
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("'" + target.getClass().getName() + "' has no @Tool methods");
        }
        return tools;
    }

    private static String invoke(Object target, Method method, ToolExecutionRequest call, Object memoryId)
            throws Exception {
        JsonNode arguments = parse(call.arguments());
        Parameter[] parameters = method.getParameters();
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            values[i] = bind(parameters[i], arguments, memoryId);
        }
        try {
            Object result = method.invoke(target, values);
            return render(method, result);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static JsonNode parse(@Nullable String arguments) throws JsonProcessingException {
        if (arguments == null || arguments.isBlank()) {
            return MissingNode.getInstance();
        }
        return Json.MAPPER.readTree(arguments);
    }

    private static @Nullable Object bind(Parameter parameter, JsonNode arguments, Object memoryId) {
        if (parameter.isAnnotationPresent(ToolMemoryId.class)) {
            return parameter.getType() == String.class ? String.valueOf(memoryId) : memoryId;
        }
        JsonNode value = arguments.path(nameOf(parameter));
        if (value.isMissingNode() || value.isNull()) {
            return parameter.getType().isPrimitive() ? Array.get(Array.newInstance(parameter.getType(), 1), 0) : null;
        }
        return Json.MAPPER.convertValue(value, Json.MAPPER.constructType(parameter.getParameterizedType()));
    }

    private static String nameOf(Parameter parameter) {
        P annotation = parameter.getAnnotation(P.class);
        return annotation != null && !annotation.name().isEmpty() ? annotation.name() : parameter.getName();
    }

    private static String render(Method method, @Nullable Object result) {
        if (method.getReturnType() == void.class) {
            return "Success";
        }
        return result instanceof String text ? text : Json.write(result);
    }
}

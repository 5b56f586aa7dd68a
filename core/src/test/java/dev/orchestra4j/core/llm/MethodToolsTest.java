package dev.orchestra4j.core.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MethodToolsTest {

    private static String call(List<RegularTool> tools, String name, String arguments) throws Exception {
        RegularTool tool =
                tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        return tool.handler()
                .execute(
                        ToolExecutionRequest.builder()
                                .id("c1")
                                .name(name)
                                .arguments(arguments)
                                .build(),
                        "session-7");
    }

    @Test
    void from_toolObject_describesEveryToolMethodInNameOrder() {
        List<RegularTool> tools = MethodTools.from(new Notebook());

        assertThat(tools).extracting(RegularTool::name).containsExactly("count", "note", "recall", "tag");
        assertThat(tools.get(3).specification().parameters().properties()).containsOnlyKeys("label", "weights");
    }

    @Test
    void handler_bindsArgumentsByNameAndConvertsTypes() throws Exception {
        List<RegularTool> tools = MethodTools.from(new Notebook());

        String result = call(tools, "tag", "{\"weights\": {\"a\": 1.5}, \"label\": \"x\"}");

        assertThat(result).isEqualTo("x:{a=1.5}");
    }

    @Test
    void handler_voidMethod_returnsSuccessAndMissingPrimitivesDefault() throws Exception {
        Notebook notebook = new Notebook();
        List<RegularTool> tools = MethodTools.from(notebook);

        assertThat(call(tools, "note", "{\"text\": \"hi\"}")).isEqualTo("Success");
        assertThat(call(tools, "count", "{}")).isEqualTo("0");
        assertThat(call(tools, "recall", "")).isEqualTo("[\"hi@session-7\"]");
    }

    @Test
    void handler_methodThrows_rethrowsTheCause() {
        List<RegularTool> tools = MethodTools.from(new Notebook());

        assertThatThrownBy(() -> call(tools, "count", "{\"limit\": -1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must not be negative");
    }

    @Test
    void from_objectWithoutTools_isRejected() {
        assertThatThrownBy(() -> MethodTools.from("no tools here"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    static final class Notebook {
        private final List<String> notes = new ArrayList<>();

        @Tool("Stores a note")
        void note(String text, @ToolMemoryId Object memoryId) {
            notes.add(text + "@" + memoryId);
        }

        @Tool("Returns all notes")
        List<String> recall() {
            return List.copyOf(notes);
        }

        @Tool("Counts up to a limit")
        int count(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative");
            }
            return Math.min(limit, notes.size());
        }

        @Tool(name = "tag", value = "Tags with weights")
        String tagWithWeights(@P(name = "label", value = "the label") String name, Map<String, Double> weights) {
            return name + ":" + weights;
        }

        String notATool() {
            return "";
        }
    }
}

package dev.orchestra4j.examples;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads what an {@code LlmAgent} sent to its model, so scripted turns can answer from it like a model would. */
final class Transcripts {

    private Transcripts() {}

    /** The text of the last user message of the request (the step's input), or empty. */
    static String lastUserText(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }

    /** The text of the last tool result in the request (what a regular tool returned this step), or empty. */
    static String lastToolResult(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolExecutionResultMessage result) {
                return result.text();
            }
        }
        return "";
    }

    /** The {@code [from Agent]} blocks of a text, agent name to content, in order; text before the first is skipped. */
    static Map<String, String> blocks(String text) {
        Map<String, String> blocks = new LinkedHashMap<>();
        @Nullable String agent = null;
        StringBuilder content = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("[from ") && line.endsWith("]")) {
                if (agent != null) {
                    blocks.put(agent, content.toString().strip());
                }
                agent = line.substring("[from ".length(), line.length() - 1);
                content.setLength(0);
            } else if (agent != null) {
                content.append(line).append('\n');
            }
        }
        if (agent != null) {
            blocks.put(agent, content.toString().strip());
        }
        return blocks;
    }
}

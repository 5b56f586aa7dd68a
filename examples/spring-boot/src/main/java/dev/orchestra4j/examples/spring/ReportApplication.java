package dev.orchestra4j.examples.spring;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.spring.OrchestraAgent;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The agents of the report topology in {@code application.yml}: {@code Lead} forks {@code Facts} and {@code Doubts} in
 * parallel, then hands both answers to {@code Writer}, an LLM agent configured under {@code orchestra4j.agents}.
 */
@SpringBootApplication
public class ReportApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReportApplication.class, args);
    }

    @Bean
    @OrchestraAgent("Lead")
    Agent lead() {
        return request -> request.arrivals().isEmpty()
                ? AgentResponse.parallel(
                        Invocation.of("Facts", request.input()), Invocation.of("Doubts", request.input()))
                : AgentResponse.handOff("Writer", request.inputText());
    }

    @Bean
    @OrchestraAgent("Facts")
    Agent facts() {
        return request -> AgentResponse.finish("facts about " + request.input());
    }

    @Bean
    @OrchestraAgent("Doubts")
    Agent doubts() {
        return request -> AgentResponse.finish("open questions about " + request.input());
    }

    /**
     * An offline model, so the application runs without a key or a network: it finishes with a report quoting what the
     * writer was given. Declare any other LangChain4j {@code ChatModel} bean (for example from
     * {@code langchain4j-open-ai-spring-boot-starter}) and this one backs off.
     */
    @Bean
    @ConditionalOnMissingBean
    ChatModel chatModel() {
        return ScriptedChatModel.builder()
                .otherwise(request -> ScriptedChatModel.finish("REPORT\n" + lastUserText(request.messages())))
                .tokenUsage(120, 40)
                .build();
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }
}

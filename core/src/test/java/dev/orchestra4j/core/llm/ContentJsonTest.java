package dev.orchestra4j.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ContentJsonTest {

    private static String arguments(String content) {
        return ContentJson.parse(content)
                .orElseThrow()
                .arguments()
                .orElseThrow()
                .toString();
    }

    @Test
    void parse_fencedJsonInProse_findsTheCall() {
        Optional<CoordinationCall> call = ContentJson.parse(
                "I will delegate.\n```json\n{\"next_action\": \"ask_user\", \"action_input\": {\"question\": \"Q?\"}}\n```\nThanks");

        assertThat(call).hasValueSatisfying(c -> {
            assertThat(c.name()).isEqualTo("ask_user");
            assertThat(c.arguments().orElseThrow().path("question").asText()).isEqualTo("Q?");
        });
    }

    @Test
    void parse_bareJsonWithTrailingText_readsTheFirstObject() {
        assertThat(arguments("{\"next_action\": \"finish\", \"action_input\": {\"answer\": \"A\"}} and more {}"))
                .isEqualTo("{\"answer\":\"A\"}");
    }

    @Test
    void parse_invocationArray_isWrapped() {
        assertThat(arguments("{\"next_action\": \"invoke_agent\", \"action_input\": [{\"agent_name\": \"A\","
                        + " \"request\": \"r\"}]}"))
                .isEqualTo("{\"invocations\":[{\"agent_name\":\"A\",\"request\":\"r\"}]}");
    }

    @Test
    void parse_legacyFinalResponse_isFinishWithResponseAsAnswer() {
        Optional<CoordinationCall> call =
                ContentJson.parse("{\"next_action\": \"final_response\", \"action_input\": {\"response\": \"R\"}}");

        assertThat(call.orElseThrow().name()).isEqualTo("finish");
        assertThat(call.orElseThrow().arguments().orElseThrow().toString()).isEqualTo("{\"answer\":\"R\"}");
    }

    @Test
    void parse_finishWithStructuredInput_takesTheWholeObjectAsAnswer() {
        assertThat(arguments("{\"next_action\": \"finish\", \"action_input\": {\"city\": \"Faro\"}}"))
                .isEqualTo("{\"answer\":{\"city\":\"Faro\"}}");
    }

    @Test
    void parse_jsonWithoutNextAction_isNoCall() {
        assertThat(ContentJson.parse("{\"city\": \"Faro\"}")).isEmpty();
    }

    @Test
    void parse_plainTextOrBrokenJson_isNoCall() {
        assertThat(ContentJson.parse("no json here")).isEmpty();
        assertThat(ContentJson.parse("{\"next_action\": \"finish\", ")).isEmpty();
    }
}

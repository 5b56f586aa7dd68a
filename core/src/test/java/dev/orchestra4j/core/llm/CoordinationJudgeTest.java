package dev.orchestra4j.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of judging coordination calls: any output is judged (never thrown), peers decide hand-offs. */
final class CoordinationJudgeTest {

    private static Offer offer(List<String> peers) {
        return new Offer("Hub", peers, true, true, AnswerSchema.FREE);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings()
                .withCharRange('A', 'z')
                .withChars(' ', '_')
                .ofMinLength(1)
                .ofMaxLength(12)
                .filter(name -> !name.isBlank() && name.equals(name.strip()));
    }

    @Provide
    Arbitrary<String> tools() {
        return Arbitraries.of(Offer.INVOKE_AGENT, Offer.FINISH, Offer.ASK_USER, "search", "");
    }

    @Property(tries = 200)
    void judge_invocation_acceptedExactlyWhenTargetIsAPeer(
            @ForAll @Size(min = 1, max = 4) Set<@From("names") String> peers,
            @ForAll("names") String target,
            @ForAll String request) {
        List<String> peerList = List.copyOf(peers);
        String arguments = Json.write(Map.of("invocations", List.of(Map.of("agent_name", target, "request", request))));

        Decision decision = CoordinationJudge.judge(CoordinationCall.of("invoke_agent", arguments), offer(peerList));

        if (peers.contains(target)) {
            assertThat(decision)
                    .isEqualTo(new Decision.Accepted(
                            AgentResponse.handOff(target, request), "Handed off to " + target + "."));
        } else {
            assertThat(decision)
                    .isInstanceOfSatisfying(Decision.Rejected.class, rejected -> assertThat(rejected.problem())
                            .contains("'" + target + "'")
                            .contains(peerList));
        }
    }

    @Property(tries = 200)
    void judge_anyArgumentText_isJudgedNeverThrown(@ForAll("tools") String tool, @ForAll String arguments) {
        Decision decision = CoordinationJudge.judge(CoordinationCall.of(tool, arguments), offer(List.of("Researcher")));

        assertThat(decision).isNotNull();
    }

    @Property(tries = 200)
    void judge_notOfferedTool_isRejectedNamingTheMissingEdge(@ForAll("tools") String tool) {
        Offer nothing = new Offer("Hub", List.of(), false, false, AnswerSchema.FREE);

        Decision decision = CoordinationJudge.judge(CoordinationCall.of(tool, "{}"), nothing);

        assertThat(decision).isInstanceOf(Decision.Rejected.class);
    }

    @Property(tries = 200)
    void parse_anyContent_neverThrows(@ForAll String content) {
        assertThat(ContentJson.parse(content)).isNotNull();
        assertThat(ContentJson.parse("```json\n{" + content + "}\n```")).isNotNull();
    }

    @Property(tries = 200)
    void parse_callWrittenAsJsonInProse_roundTrips(
            @ForAll("names") String agent,
            @ForAll String request,
            @ForAll("prose") String prose,
            @ForAll boolean fenced) {
        String json = Json.write(
                Map.of("next_action", "invoke_agent", "action_input", Map.of("agent_name", agent, "request", request)));
        String content = prose + (fenced ? "\n```json\n" + json + "\n```\n" : " " + json);

        Decision decision = CoordinationJudge.judge(ContentJson.parse(content).orElseThrow(), offer(List.of(agent)));

        assertThat(decision)
                .isEqualTo(
                        new Decision.Accepted(AgentResponse.handOff(agent, request), "Handed off to " + agent + "."));
    }

    @Provide
    Arbitrary<String> prose() {
        return Arbitraries.strings()
                .withCharRange(' ', 'z')
                .excludeChars('{', '`')
                .ofMaxLength(40);
    }
}

package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CriticReviseTest {

    private static final String TASK = "Write a tagline for Orchestra4j";

    @Test
    void run_writerFixesWhatTheCriticSays_approvedOnTheThirdDraftAndFinishesWithIt() {
        OrchestraResult result = CriticRevise.run(TASK, CriticRevise.DRAFTS, RunOptions.builder());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(CriticRevise.DRAFTS.getLast());
        assertThat(result.agentInvocationCount("Critic")).isEqualTo(3);
        assertThat(result.agentInvocationCount("Writer")).isEqualTo(4);
    }

    @Test
    void run_criticNeverApproves_maxTurnsEndsTheLoopWithAnErrorNamingTheLimit() {
        OrchestraResult result =
                CriticRevise.run(TASK, List.of("Simply the best framework ever!"), RunOptions.builder());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(error -> assertThat(error).contains("max_turns (6)", "'Writer'", "'Critic'"));
        assertThat(result.agentInvocationCount("Critic")).isEqualTo(3);
    }

    @Test
    void run_maxStepsBelowTheLoop_runStopsAtTheStepLimit() {
        OrchestraResult result =
                CriticRevise.run(TASK, CriticRevise.DRAFTS, RunOptions.builder().maxSteps(4));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error).contains("maxSteps (4) reached"));
        assertThat(result.totalSteps()).isEqualTo(4);
    }

    @Test
    void critique_draftBreakingEveryRule_listsEveryProblem() {
        AgentResponse response =
                CriticRevise.critique(AgentRequest.of("Critic", "The best tool that was ever made for everyone here!"));

        assertThat(response)
                .isInstanceOfSatisfying(AgentResponse.Invoke.class, invoke -> assertThat((String) invoke.request())
                        .contains("name the product", "mention Java", "at most 8 words", "exclamation mark"));
    }
}

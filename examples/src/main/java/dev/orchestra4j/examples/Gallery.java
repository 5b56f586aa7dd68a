package dev.orchestra4j.examples;

import dev.langchain4j.model.chat.ChatModel;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.user.TerminalUserChannel;
import dev.orchestra4j.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The examples the CLI can run, in the order {@code list} shows them. */
final class Gallery {

    /** What the CLI hands an example: the model for LLM-driven ones, live-status settings, and the terminal. */
    record Setup(
            Optional<Models.Choice> model,
            ExecutionConfig execution,
            OrchestraListener listener,
            InputStream in,
            PrintStream out) {

        /** Fresh run options with the CLI's status output and metrics listener. */
        RunOptions.Builder options() {
            return RunOptions.builder().executionConfig(execution).listener(listener);
        }

        /** The configured real model, else the example's offline one. */
        ChatModel modelOr(Supplier<? extends ChatModel> offline) {
            return model.map(Models.Choice::model).orElseGet(offline);
        }
    }

    /**
     * One runnable example.
     *
     * @param name what {@code run <name>} takes
     * @param summary one line for {@code list}
     * @param llmDriven whether it runs on a chat model (else on plain Java agents)
     * @param topology the graph, for printing
     * @param run runs it once
     */
    record Example(
            String name,
            String summary,
            boolean llmDriven,
            Supplier<Topology> topology,
            Function<Setup, OrchestraResult> run) {}

    static final String DEFAULT = "research-and-report";

    static final List<Example> ALL = List.of(
            new Example(
                    "research-and-report",
                    "LLM research team: a hub forks three tool-using spokes in parallel, a writer reports",
                    true,
                    ResearchAndReport::topology,
                    s -> ResearchAndReport.run(
                            ResearchAndReport.DEFAULT_QUESTION,
                            s.modelOr(ResearchAndReport::offlineModel),
                            s.options())),
            new Example(
                    "etl-pipeline",
                    "Extract -> Transform (forks two cleaners and joins) -> Load",
                    false,
                    EtlPipeline::topology,
                    s -> EtlPipeline.run(EtlPipeline.SAMPLE_CSV, new ArrayList<>(), s.options())),
            new Example(
                    "critic-revise",
                    "writer and critic loop until approved, bounded by max_turns",
                    false,
                    CriticRevise::topology,
                    s -> CriticRevise.run("Write a tagline for Orchestra4j", CriticRevise.DRAFTS, s.options())),
            new Example(
                    "parallel-experts",
                    "three reviewers in parallel, a synthesizer rendezvous combines their verdicts",
                    false,
                    ParallelExperts::topology,
                    s -> ParallelExperts.run(ParallelExperts.SAMPLE_PROPOSAL, s.options())),
            new Example(
                    "error-recovery",
                    "a failing fetcher is retried, then recovered through an [on error] edge",
                    false,
                    ErrorRecovery::topology,
                    s -> ErrorRecovery.run(
                            "ACME", ErrorRecovery.topology(), ErrorRecovery.unreachableService(), s.options())),
            new Example(
                    "conditional-route",
                    "Validator routes by label: [when valid] to Processor, [when invalid] to Fixer and back",
                    false,
                    ConditionalRoute::topology,
                    s -> ConditionalRoute.run(ConditionalRoute.SAMPLE_ORDER, s.options())),
            new Example(
                    "coding-run",
                    "Symphony-style: plan, implement, test (proof of work), fix until green, review",
                    false,
                    CodingRun::topology,
                    s -> CodingRun.run(CodingRun.SAMPLE_ISSUE, CodingRun.PATCHES, s.options())),
            new Example(
                    "follow-up",
                    "a terminal conversation: follow-up questions continue the same session (type 'done')",
                    true,
                    FollowUpSession::topology,
                    s -> {
                        try (TerminalUserChannel terminal = new TerminalUserChannel(s.in(), s.out())) {
                            return FollowUpSession.run(
                                    FollowUpSession.DEFAULT_QUESTION,
                                    s.modelOr(FollowUpSession::offlineModel),
                                    terminal,
                                    s.options());
                        }
                    }),
            new Example(
                    "pause-resume",
                    "pause a session in one orchestra, resume it from files in a fresh one",
                    false,
                    PauseResume::topology,
                    Gallery::pauseAndResume));

    private Gallery() {}

    private static OrchestraResult pauseAndResume(Setup s) {
        Path directory;
        try {
            directory = Files.createTempDirectory("orchestra4j-pause-resume");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the session files", e);
        }
        PauseResume.Outcome outcome =
                PauseResume.run("virtual threads", directory, s.execution(), List.of(s.listener()));
        s.out()
                .println("  first orchestra: " + outcome.paused().status() + " after "
                        + outcome.paused().totalSteps() + " steps; stored in " + directory + ": "
                        + outcome.stored().stream()
                                .map(stored -> stored.sessionId() + " " + stored.status() + " (version "
                                        + stored.version() + ")")
                                .toList());
        s.out().println("  second orchestra resumed it; agents run over both: " + outcome.stepsRun());
        return outcome.resumed();
    }

    static Optional<Example> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    static List<String> names() {
        return ALL.stream().map(Example::name).toList();
    }
}

package dev.orchestra4j.core.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of an {@link LlmAgent}: call the model, run regular tools, judge coordination calls, steer, and repeat
 * until a valid coordination call ends the step. Counters live here, so they are per step. Not thread-safe; one
 * instance per {@code act}.
 */
final class StepLoop {

    private static final Logger LOG = LoggerFactory.getLogger(StepLoop.class);

    private final AgentSetup setup;
    private final AgentRequest request;
    private final List<ChatMessage> memory;
    private final Offer offer;
    private final SystemMessage system;
    private List<ToolSpecification> specifications;
    private List<RegularTool> tools;
    private int invalidCalls;
    private int contentOnly;
    private int toolRounds;

    StepLoop(AgentSetup setup, AgentRequest request) {
        this.setup = setup;
        this.request = request;
        this.memory = request.memory();
        this.offer = Offer.of(request, setup.answer());
        this.system = Prompts.system(setup.name(), setup.systemPrompt(), offer, setup.nativeTools());
        this.tools = setup.tools();
        this.specifications = setup.nativeTools() ? specifications(tools, offer) : List.of();
    }

    private static List<ToolSpecification> specifications(List<RegularTool> tools, Offer offer) {
        List<ToolSpecification> specs = new ArrayList<>(CoordinationTools.specifications(offer));
        tools.forEach(tool -> specs.add(tool.specification()));
        return specs;
    }

    AgentResponse run() throws InterruptedException {
        boolean firstStep = memory.stream().noneMatch(UserMessage.class::isInstance);
        UserMessage input = Prompts.input(request, firstStep);
        memory.add(input);
        AgentSetup.ToolSource source = setup.toolSource();
        if (source != null) {
            tools = withProvided(source.provide(request.sessionId(), input));
            specifications = setup.nativeTools() ? specifications(tools, offer) : List.of();
        }
        if (request.config().steeringMode() == dev.orchestra4j.core.SteeringMode.ALWAYS) {
            memory.add(UserMessage.from(Steering.upfront(offer)));
        }
        while (true) {
            AiMessage reply = callModel();
            memory.add(reply);
            Optional<AgentResponse> outcome = reply.hasToolExecutionRequests() ? onToolCalls(reply) : onContent(reply);
            if (outcome.isPresent()) {
                window(); // what is kept for the next step (and stored) is bounded too
                return outcome.get();
            }
        }
    }

    private List<RegularTool> withProvided(List<RegularTool> provided) {
        List<RegularTool> all = new ArrayList<>(setup.tools());
        for (RegularTool tool : provided) {
            if (Offer.ALL.contains(tool.name())
                    || all.stream().anyMatch(t -> t.name().equals(tool.name()))) {
                throw new IllegalStateException("agent '" + setup.name() + "': the tool provider supplied tool '"
                        + tool.name() + "', whose name is already taken");
            }
            all.add(tool);
        }
        return List.copyOf(all);
    }

    /** With a chat memory provider: the memory becomes what that ChatMemory keeps of it (a window, a token budget). */
    private void window() {
        AgentSetup.MemoryWindow window = setup.memory();
        if (window == null) {
            return;
        }
        dev.langchain4j.memory.ChatMemory chat =
                window.get(request.sessionId() + "/" + request.branchId() + "/" + setup.name());
        chat.clear();
        memory.stream().filter(m -> !(m instanceof SystemMessage)).forEach(chat::add);
        List<ChatMessage> kept = List.copyOf(chat.messages());
        memory.clear();
        kept.stream().filter(m -> !(m instanceof SystemMessage)).forEach(memory::add);
    }

    private Optional<RegularTool> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private List<String> toolNames() {
        return tools.stream().map(RegularTool::name).toList();
    }

    private AiMessage callModel() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("step of agent '" + setup.name() + "' was interrupted");
        }
        window();
        List<ChatMessage> messages = new ArrayList<>(memory.size() + 1);
        messages.add(system);
        memory.stream().filter(m -> !(m instanceof SystemMessage)).forEach(messages::add);
        ChatRequest.Builder chat = ChatRequest.builder().messages(messages);
        if (!specifications.isEmpty()) {
            chat.toolSpecifications(specifications);
        }
        ChatResponse response =
                dev.orchestra4j.core.internal.replay.Tape.chat(setup.name(), setup.model(), chat.build());
        TokenUsage usage = response.tokenUsage();
        if (usage != null) {
            request.recorder().tokens(count(usage.inputTokenCount()), count(usage.outputTokenCount()));
        }
        return response.aiMessage();
    }

    private Optional<AgentResponse> onToolCalls(AiMessage reply) throws InterruptedException {
        @Nullable Decision decision = null;
        @Nullable String problem = null;
        for (ToolExecutionRequest call : reply.toolExecutionRequests()) {
            Optional<RegularTool> tool = tool(call.name());
            if (tool.isPresent()) {
                memory.add(ToolRunner.run(
                        setup.name(),
                        tool.get(),
                        call,
                        request.sessionId(),
                        request.config().toolTimeout(),
                        request.recorder()));
            } else if (!Offer.ALL.contains(call.name())) {
                problem = "unknown tool '" + call.name() + "'";
                memory.add(ToolRunner.unknown(call, Steering.invalidCall(problem, offer) + known()));
            } else if (decision != null) {
                memory.add(ToolRunner.result(call, "Ignored: only the first coordination call counts.", true));
            } else {
                decision = CoordinationJudge.judge(CoordinationCall.of(call.name(), call.arguments()), offer);
                memory.add(receipt(call, decision));
            }
        }
        if (decision instanceof Decision.Accepted accepted) {
            return Optional.of(accepted.response());
        }
        if (decision instanceof Decision.Rejected rejected) {
            problem = rejected.problem();
        }
        return problem != null ? steer(problem, false) : afterRegularTools();
    }

    private ToolExecutionResultMessage receipt(ToolExecutionRequest call, Decision decision) {
        return switch (decision) {
            case Decision.Accepted accepted -> ToolRunner.result(call, accepted.receipt(), false);
            case Decision.Rejected rejected ->
                ToolRunner.result(call, Steering.invalidCall(rejected.problem(), offer), true);
        };
    }

    private String known() {
        return tools.isEmpty() ? "" : " Regular tools: " + String.join(", ", toolNames()) + ".";
    }

    private Optional<AgentResponse> afterRegularTools() {
        contentOnly = 0;
        toolRounds++;
        if (toolRounds > setup.maxToolRounds()) {
            return fail("Agent '" + setup.name() + "' called regular tools " + toolRounds
                    + " times in one step without a coordination call (maxToolRounds)");
        }
        return Optional.empty();
    }

    private Optional<AgentResponse> onContent(AiMessage reply) {
        String text = reply.text() == null ? "" : reply.text();
        Optional<CoordinationCall> call = ContentJson.parse(text);
        if (call.isPresent()) {
            return switch (CoordinationJudge.judge(call.get(), offer)) {
                case Decision.Accepted accepted -> Optional.of(accepted.response());
                case Decision.Rejected rejected -> steer(rejected.problem(), true);
            };
        }
        if (offer.toolNames().isEmpty()) {
            return Optional.of(AgentResponse.reply(text));
        }
        contentOnly++;
        if (contentOnly >= request.config().contentOnlyHardLimit()) {
            return fail(Steering.contentOnlyLimit(offer, toolNames(), contentOnly, text));
        }
        int threshold = request.config().contentOnlySteeringThreshold();
        memory.add(UserMessage.from(Steering.contentOnly(contentOnly, threshold, offer, setup.nativeTools())));
        return Optional.empty();
    }

    private Optional<AgentResponse> steer(String problem, boolean needsMessage) {
        invalidCalls++;
        int retries = request.config().effectiveSteeringRetries();
        if (invalidCalls > retries) {
            return fail(Steering.steeringExhausted(offer, retries, problem));
        }
        LOG.debug("Agent '{}' steering retry {} of {}: {}", setup.name(), invalidCalls, retries, problem);
        if (needsMessage) {
            memory.add(UserMessage.from(Steering.invalidCall(problem, offer)));
        }
        return Optional.empty();
    }

    private static Optional<AgentResponse> fail(String reason) {
        return Optional.of(AgentResponse.fail(reason, ErrorCategory.VALIDATION));
    }

    private static long count(@Nullable Integer tokens) {
        return tokens == null ? 0 : tokens;
    }
}

package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.AgentRunner;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.MemoryTracker;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Turn;
import dev.orchestra4j.runner.TurnOutcome;
import dev.orchestra4j.runner.WorkflowFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Drives an {@link IssueOrchestrator} by hand: its actor is a queue the test drains, its timers run on a virtual
 * clock, and its agent is a {@link FakeAgent} whose turns the test ends.
 */
final class Harness implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final QueueActor actor = new QueueActor();
    final MemoryTracker tracker = new MemoryTracker();
    final FakeAgent agent = new FakeAgent();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Path root;
    RunnerConfig config;
    PromptTemplate prompt;
    final IssueOrchestrator orchestrator;
    final Workspaces workspaces;

    Harness(Path dir, String frontMatter) {
        this(dir, frontMatter, "Work on {{ issue.identifier }}", RunnerStore.in(dir.resolve("state")));
    }

    Harness(Path dir, String frontMatter, String body, RunnerStore store) {
        this.root = dir;
        WorkflowFile file = WorkflowFile.parse(
                dir.resolve("WORKFLOW.md"),
                "---\ntracker: {kind: memory}\nworkspace: {root: ws}\n" + frontMatter + "\n---\n" + body);
        this.config = RunnerConfig.from(file, Map.of());
        this.prompt = PromptTemplate.parse(file.prompt());
        RunnerMetrics metrics = new RunnerMetrics(registry);
        this.workspaces = new Workspaces(
                () -> config, new Shell(List.of()), (hook, result) -> metrics.hook(hook, result.duration()));
        this.orchestrator = new IssueOrchestrator(new IssueOrchestrator.Parts(
                () -> config,
                () -> prompt,
                Optional::empty,
                () -> {},
                tracker,
                workspaces,
                agent,
                clock,
                scheduler,
                actor,
                Thread.ofVirtual().factory(),
                store,
                metrics,
                dir.resolve("logs")));
    }

    static Issue issue(String id, String state) {
        return Issue.builder(id, "ISS-" + id, "Issue " + id, state).build();
    }

    /** Starts and runs the first tick. */
    Harness started() {
        orchestrator.start();
        actor.drain();
        return this;
    }

    void tick() {
        orchestrator.requestRefresh();
        actor.drain();
    }

    /** Moves the virtual clock, firing due timers, then drains the actor. */
    void advance(Duration by) {
        clock.advance(by);
        scheduler.fireDue();
        actor.drain();
    }

    Map<String, Object> state() {
        CompletableFuture<Map<String, Object>> f = orchestrator.state();
        actor.drain();
        return f.join();
    }

    Map<String, Object> issueView(String identifier) {
        CompletableFuture<Optional<Map<String, Object>>> f = orchestrator.issue(identifier);
        actor.drain();
        return f.join().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String key) {
        return (List<Map<String, Object>>) state().get(key);
    }

    @Override
    public void close() {
        CompletableFuture<Void> closed = CompletableFuture.runAsync(orchestrator::close);
        actor.runUntil(closed::isDone);
        agent.releaseAll();
        actor.drainFor(Duration.ofMillis(50));
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Timers on the virtual clock. */
    static final class ManualScheduler implements Scheduler {
        private final MutableClock clock;
        private final List<Timer> timers = new ArrayList<>();

        ManualScheduler(MutableClock clock) {
            this.clock = clock;
        }

        record Timer(Instant due, Runnable task, boolean[] cancelled) {}

        @Override
        public synchronized Cancellable schedule(Duration delay, Runnable task) {
            Timer t = new Timer(clock.instant().plus(delay), task, new boolean[1]);
            timers.add(t);
            return () -> t.cancelled()[0] = true;
        }

        void fireDue() {
            List<Timer> due;
            synchronized (this) {
                due = timers.stream()
                        .filter(t -> !t.due().isAfter(clock.instant()) && !t.cancelled()[0])
                        .sorted(Comparator.comparing(Timer::due))
                        .toList();
                timers.removeAll(due);
            }
            due.forEach(t -> t.task().run());
        }

        @Override
        public void close() {}
    }

    /** The orchestrator's actor as a queue the test thread drains. */
    static final class QueueActor implements Executor {
        private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable command) {
            queue.add(command);
        }

        void drain() {
            Runnable next;
            while ((next = queue.poll()) != null) {
                next.run();
            }
        }

        /** Runs posted tasks as they arrive until {@code done} holds (fails after 10 s). */
        void runUntil(BooleanSupplier done) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            drain();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not reached within 10 s");
                }
                try {
                    Runnable next = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        next.run();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            drain();
        }

        void drainFor(Duration duration) {
            long deadline = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    Runnable next = queue.poll(20, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        next.run();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** An agent whose turns block until the test ends them. */
    static final class FakeAgent implements AgentRunner {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final List<Call> all = new java.util.concurrent.CopyOnWriteArrayList<>();

        record Call(Turn turn, CompletableFuture<TurnOutcome> outcome) {}

        @Override
        public TurnOutcome run(Turn turn) throws InterruptedException {
            Call call = new Call(turn, new CompletableFuture<>());
            all.add(call);
            calls.add(call);
            try {
                return call.outcome().get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        Call next() {
            try {
                Call call = calls.poll(10, TimeUnit.SECONDS);
                if (call == null) {
                    throw new AssertionError("the agent was not called within 10 s");
                }
                return call;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        void releaseAll() {
            all.forEach(c -> c.outcome().complete(new TurnOutcome.Failed("test over")));
        }
    }
}

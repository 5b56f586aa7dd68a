package dev.orchestra4j.metrics;

/**
 * Names, tag keys and tag values of every meter and observation the {@link MetricsCollector} records (SPEC §8).
 *
 * <p>Meter names are lowercase and dotted and split by tags; each registry's naming convention renders them (Prometheus:
 * {@code orchestra.steps} with base unit {@code steps} becomes {@code orchestra_steps_total}, the timer
 * {@code orchestra.step.duration} becomes {@code orchestra_step_duration_seconds}, the gauge
 * {@code orchestra.sessions.active} with base unit {@code sessions} becomes {@code orchestra_sessions_active_sessions}).
 * Every tag value comes from a closed set (an enum of core, {@link #OUTCOME_SUCCESS}/{@link #OUTCOME_FAILURE}) or is
 * capped ({@link #TAG_AGENT}, {@link #TAG_BACKEND}); no meter is ever tagged with a session id, a branch id, a prompt,
 * user text or an error message.
 *
 * <p>Observation names differ from the meter names on purpose: a user who installs Micrometer's
 * {@code DefaultMeterObservationHandler} on the same registry gets timers such as {@code orchestra.step} next to the
 * collector's {@code orchestra.step.duration}, never a clash.
 */
public final class MetricNames {

    /** Prefix of every meter and observation. */
    public static final String PREFIX = "orchestra";

    // ---- meters ----

    /** Counter of finished runs, one per leg of a session (a paused and resumed session counts two), tag {@link #TAG_STATUS}. */
    public static final String RUNS = PREFIX + ".runs";
    /**
     * Timer of the wall time the engine reports in each {@code RunCompleted}; a leg that ends as {@code RunPaused}
     * carries no duration and is not timed.
     */
    public static final String RUN_DURATION = PREFIX + ".run.duration";
    /** Counter of agent steps, tags {@link #TAG_AGENT} and {@link #TAG_OUTCOME}; every failed attempt counts. */
    public static final String STEPS = PREFIX + ".steps";
    /**
     * Counter of agent calls the engine gave up on while they were still running (a step or branch timeout, a
     * cancellation, the run ending), tag {@link #TAG_AGENT}: each is a {@code StepAbandoned} event. The call's thread
     * goes on until the agent returns, and its result is discarded; a rising count names an agent that ignores
     * interrupts.
     */
    public static final String STEPS_ABANDONED = PREFIX + ".steps.abandoned";
    /**
     * Gauge of abandoned agent calls whose threads are still inside the agent, in this JVM (every instance and
     * session): it falls back as each stuck thread returns. A value that only grows means threads are leaking.
     */
    public static final String STEPS_ZOMBIES = PREFIX + ".steps.zombies";
    /** Timer of agent steps (successful and failed attempts), tag {@link #TAG_AGENT}. */
    public static final String STEP_DURATION = PREFIX + ".step.duration";
    /** Gauge of branches spawned and not yet settled in the sessions this collector sees running. */
    public static final String BRANCHES_ACTIVE = PREFIX + ".branches.active";
    /** Timer of how long barriers waited between opening and firing, tag {@link #TAG_KIND} (a {@code BarrierKind}). */
    public static final String BARRIER_WAIT = PREFIX + ".barrier.wait";
    /** Counter of scheduled retries, tag {@link #TAG_CATEGORY} (an {@code ErrorCategory}). */
    public static final String RETRIES = PREFIX + ".retries";
    /** Counter of fired timeouts, tag {@link #TAG_KIND} (a {@code TimeoutKind}). */
    public static final String TIMEOUTS = PREFIX + ".timeouts";
    /** Counter of model tokens, tags {@link #TAG_AGENT} and {@link #TAG_DIRECTION}. */
    public static final String TOKENS = PREFIX + ".tokens";
    /** Timer of session writes to storage, tag {@link #TAG_BACKEND}. */
    public static final String CHECKPOINT_DURATION = PREFIX + ".checkpoint.duration";
    /** Distribution summary of the size of each session write, in bytes. */
    public static final String CHECKPOINT_BYTES = PREFIX + ".checkpoint.bytes";
    /**
     * Gauge of sessions running now. A session becomes active on {@code RunStarted} or {@code RunResumed} and inactive
     * on {@code RunPaused} or {@code RunCompleted} of any status, so a session suspended in {@code WAITING_FOR_USER} or
     * {@code PAUSED} is not active until it resumes; a follow-up round of an active session does not count twice; the
     * gauge is never negative.
     */
    public static final String SESSIONS_ACTIVE = PREFIX + ".sessions.active";

    // ---- tag keys ----

    public static final String TAG_STATUS = "status";
    public static final String TAG_AGENT = "agent";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_KIND = "kind";
    public static final String TAG_CATEGORY = "category";
    public static final String TAG_DIRECTION = "direction";
    public static final String TAG_BACKEND = "backend";

    // ---- tag values ----

    public static final String OUTCOME_SUCCESS = "success";
    public static final String OUTCOME_FAILURE = "failure";
    public static final String DIRECTION_INPUT = "input";
    public static final String DIRECTION_OUTPUT = "output";
    /** Replaces an agent or backend name once the collector's cap on distinct values is reached. */
    public static final String OTHER = "other";

    // ---- base units ----

    public static final String UNIT_RUNS = "runs";
    public static final String UNIT_STEPS = "steps";
    public static final String UNIT_BRANCHES = "branches";
    public static final String UNIT_RETRIES = "retries";
    public static final String UNIT_TIMEOUTS = "timeouts";
    public static final String UNIT_TOKENS = "tokens";
    public static final String UNIT_SESSIONS = "sessions";

    // ---- observations ----

    /** Observation of one leg of a session, from {@code RunStarted}/{@code RunResumed} to its end. */
    public static final String OBSERVATION_RUN = PREFIX + ".run";
    /** Observation of one agent step, from {@code StepStarted} to {@code StepCompleted} or {@code StepFailed}. */
    public static final String OBSERVATION_STEP = PREFIX + ".step";
    /** Instant observation for a fired barrier; the measured wait is in {@link #KEY_MEASURED_MILLIS}. */
    public static final String OBSERVATION_BARRIER = PREFIX + ".barrier";
    /**
     * The agent call itself, opened synchronously on the thread that runs it (through {@link
     * MetricsCollector#stepInterceptor()}), so it is the current observation inside the agent.
     */
    public static final String OBSERVATION_AGENT_CALL = PREFIX + ".agent.call";
    /** Instant observation for a session write; the measured duration is in {@link #KEY_MEASURED_MILLIS}. */
    public static final String OBSERVATION_CHECKPOINT = PREFIX + ".checkpoint";

    /** Low-cardinality key: how a run observation began ({@link #TRIGGER_STARTED} or {@link #TRIGGER_RESUMED}). */
    public static final String KEY_TRIGGER = "trigger";
    /** Low-cardinality key: the decision a successful step took (invoke, parallel, finish, ask_user, reply). */
    public static final String KEY_ACTION = "action";
    /** Low-cardinality key: the error category of a failed step. */
    public static final String KEY_ERROR_CATEGORY = "error.category";
    /** High-cardinality key: the session id (allowed on spans, never on meters). */
    public static final String KEY_SESSION_ID = "session.id";
    /** High-cardinality key: the branch id. */
    public static final String KEY_BRANCH_ID = "branch.id";
    /** High-cardinality key: the step index within the session. */
    public static final String KEY_STEP = "step";
    /** High-cardinality key: the attempt number of a step. */
    public static final String KEY_ATTEMPT = "attempt";
    /** High-cardinality key: the node a barrier sits at. */
    public static final String KEY_NODE = "node";
    /** High-cardinality key: bytes written by a checkpoint. */
    public static final String KEY_BYTES = "bytes";
    /** High-cardinality key: the duration the engine measured, in milliseconds, for instant observations. */
    public static final String KEY_MEASURED_MILLIS = "measured.ms";

    public static final String TRIGGER_STARTED = "started";
    public static final String TRIGGER_RESUMED = "resumed";
    /** Outcome of a step observation whose session ended before the step was reported finished. */
    public static final String OUTCOME_ABANDONED = "abandoned";
    /** Status of a run or step observation stopped because the collector's bounded tables were full. */
    public static final String STATUS_EVICTED = "evicted";

    private MetricNames() {}
}

package dev.orchestra4j.runner;

import dev.orchestra4j.runner.internal.tracker.FileTracker;
import dev.orchestra4j.runner.internal.tracker.GithubTracker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Makes the {@link Tracker} a {@link RunnerConfig} names. */
public final class Trackers {

    private Trackers() {}

    /**
     * The tracker of {@code config.tracker().kind()}: {@code file} reads {@code tracker.provider.path} relative to the
     * workflow's directory; {@code github} talks to {@code tracker.provider.api_url} (default {@code
     * https://api.github.com}); {@code memory} starts with the issues listed in {@code tracker.provider.issues}.
     */
    public static Tracker create(RunnerConfig config, Path workflowDirectory, Clock clock) {
        RunnerConfig.TrackerSettings settings = config.tracker();
        return switch (settings.kind()) {
            case "file" ->
                new FileTracker(
                        workflowDirectory.resolve(settings.providerText("path").orElse(".")), settings, clock);
            case "github" -> new GithubTracker(settings);
            case "memory" -> memory(settings);
            default ->
                throw new TrackerException(
                        TrackerException.Category.UNSUPPORTED_TRACKER_KIND,
                        "tracker.kind '" + settings.kind() + "' is not supported");
        };
    }

    private static MemoryTracker memory(RunnerConfig.TrackerSettings settings) {
        MemoryTracker tracker = new MemoryTracker();
        if (settings.provider().get("issues") instanceof List<?> issues) {
            for (Object item : issues) {
                if (item instanceof Map<?, ?> m) {
                    String identifier = String.valueOf(m.get("identifier"));
                    Object id = m.get("id");
                    tracker.put(Issue.builder(
                                    id == null ? identifier : String.valueOf(id),
                                    identifier,
                                    String.valueOf(m.get("title")),
                                    String.valueOf(m.get("state")))
                            .priority(m.get("priority") instanceof Integer p ? p : null)
                            .build());
                }
            }
        }
        return tracker;
    }
}

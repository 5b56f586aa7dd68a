package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A session's whole state as its snapshot payload holds it, written and read by Jackson ({@link SnapshotCodec}). The
 * branches, barriers, questions and trace entries are the parts a journal entry carries ({@link JournalRecord}), always
 * whole here. The field names are the payload's format: payloads written before this record existed read through it
 * unchanged. {@code resultMetadata} is null only in payloads written before it existed; {@code maxSteps}, the option
 * the session was started with, is written next to the state by {@link Session#encodeState} and read on its own.
 */
@JsonIgnoreProperties({"maxSteps", MachinePart.FIELD})
record SnapshotRecord(
        JsonNode task,
        Map<String, JsonNode> context,
        String startedAt,
        @Nullable String rootBarrier,
        JournalRecord.Counters counters,
        Map<String, Integer> invocations,
        List<JsonNode> finalResponses,
        List<String> checkpointIds,
        @Nullable Map<String, JsonNode> resultMetadata,
        List<JournalRecord.BranchPart> branches,
        List<JournalRecord.BarrierPart> barriers,
        Map<String, String> openRendezvous,
        List<JournalRecord.QuestionPart> questions,
        List<TraceCodec.Part> trace) {

    SnapshotRecord {
        required(task, "task");
        required(context, "context");
        required(startedAt, "startedAt");
        required(counters, "counters");
        required(invocations, "invocations");
        required(finalResponses, "finalResponses");
        required(checkpointIds, "checkpointIds");
        required(branches, "branches");
        required(barriers, "barriers");
        required(openRendezvous, "openRendezvous");
        required(questions, "questions");
        required(trace, "trace");
    }

    private static void required(@Nullable Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
    }
}

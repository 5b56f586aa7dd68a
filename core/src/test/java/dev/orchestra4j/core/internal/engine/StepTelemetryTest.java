package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.ToolCallRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an agent reported during one step, as the coordinator reads it once the step has ended. */
final class StepTelemetryTest {

    @Test
    void freeze_laterReports_areNotPartOfTheStep() {
        StepTelemetry telemetry = new StepTelemetry();
        telemetry.tokens(3, 4);
        telemetry.toolCall("search", "{}", "ok", Duration.ZERO, false);
        telemetry.freeze();
        telemetry.tokens(100, 100); // a thread the agent left running reports after the step ended
        telemetry.toolCall("late", "{}", "ok", Duration.ZERO, false);

        assertThat(telemetry.inputTokens()).isEqualTo(3);
        assertThat(telemetry.outputTokens()).isEqualTo(4);
        assertThat(telemetry.toolCalls()).extracting(ToolCallRecord::name).containsExactly("search");
    }

    @Test
    void beforeFreeze_readsWhatWasReportedSoFar() {
        StepTelemetry telemetry = new StepTelemetry();
        telemetry.tokens(1, 2);
        telemetry.tokens(1, 2);

        assertThat(telemetry.inputTokens()).isEqualTo(2);
        assertThat(telemetry.outputTokens()).isEqualTo(4);
        assertThat(telemetry.toolCalls()).isEmpty();
    }

    @Test
    void freeze_withNothingReported_readsNothingAndLaterReportsStayOut() {
        StepTelemetry telemetry = new StepTelemetry();
        telemetry.freeze(); // the lock-free path: nothing was reported
        telemetry.tokens(5, 6);
        telemetry.toolCall("late", "{}", "ok", Duration.ZERO, false);
        telemetry.stepRecord(JsonNodeFactory.instance.objectNode().put("late", true));

        assertThat(telemetry.inputTokens()).isZero();
        assertThat(telemetry.outputTokens()).isZero();
        assertThat(telemetry.toolCalls()).isEmpty();
        assertThat(telemetry.record()).isNull();
    }

    @Test
    void freeze_keepsTheStepRecordReportedBeforeIt() {
        StepTelemetry telemetry = new StepTelemetry();
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("step", 1);
        telemetry.stepRecord(record); // a record alone (no tokens, no tools) is a report too
        telemetry.freeze();
        telemetry.stepRecord(JsonNodeFactory.instance.objectNode().put("step", 2));

        assertThat(telemetry.record()).isSameAs(record);
    }
}

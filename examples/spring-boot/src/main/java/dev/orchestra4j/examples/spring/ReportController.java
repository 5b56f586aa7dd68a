package dev.orchestra4j.examples.spring;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /reports {"topic": "…"}} runs one session and answers with its report. */
@RestController
class ReportController {

    private final OrchestraInstance orchestra;

    ReportController(OrchestraInstance orchestra) {
        this.orchestra = orchestra;
    }

    /** The request body. */
    record ReportRequest(@Nullable String topic) {}

    /** The response body. */
    record Report(
            String sessionId,
            String status,
            @Nullable String report,
            @Nullable String error) {}

    @PostMapping("/reports")
    ResponseEntity<?> create(@RequestBody ReportRequest request) {
        if (request.topic() == null || request.topic().isBlank()) {
            return ResponseEntity.badRequest().body(Map.of("error", "'topic' must not be blank"));
        }
        OrchestraResult result = orchestra.execute(request.topic());
        Report report = new Report(
                result.sessionId(),
                result.status().name(),
                result.success() ? result.finalResponseAsText() : null,
                result.error().orElse(null));
        return ResponseEntity.status(result.success() ? HttpStatus.OK : HttpStatus.BAD_GATEWAY)
                .body(report);
    }
}

package dev.orchestra4j.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A request the server refuses, with the HTTP status and the JSON {@code detail} to send back. The detail is either a
 * message or, for validation errors, FastAPI's list of {@code {type, loc, msg}} objects naming every problem.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final JsonNode detail;

    public ApiException(int status, JsonNode detail) {
        super(detail.toString(), null, false, false);
        this.status = status;
        this.detail = detail;
    }

    public static ApiException of(int status, String message) {
        return new ApiException(status, Json.tree(message));
    }

    public static ApiException notFound(String message) {
        return of(404, message);
    }

    public static ApiException conflict(String message) {
        return of(409, message);
    }

    /** A 422 naming one field of the body ({@code field} may be a dotted path). */
    public static ApiException validation(String field, String type, String message) {
        return new ApiException(422, Json.array().add(problem(field, type, message)));
    }

    /** A single {@code {type, loc, msg}} entry; {@code loc} starts with "body" unless {@code field} names a query. */
    public static ObjectNode problem(String field, String type, String message) {
        ObjectNode p = Json.object();
        p.put("type", type);
        ArrayNode loc = p.putArray("loc");
        for (String part : field.split("\\.")) {
            if (part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
                loc.add(Integer.parseInt(part));
            } else {
                loc.add(part);
            }
        }
        p.put("msg", message);
        return p;
    }

    public static ApiException problems(int status, List<ObjectNode> problems) {
        ArrayNode list = Json.array();
        problems.forEach(list::add);
        return new ApiException(status, list);
    }

    public int status() {
        return status;
    }

    public JsonNode detail() {
        return detail;
    }
}

package dev.cairn.core.error;

/**
 * The one table of Cairn's error codes. Each code carries the HTTP status the REST API answers
 * with; the names of the first group are MLflow's own {@code error_code} values, so the
 * MLflow-compatible API can pass them through unchanged.
 */
public enum ErrorCode {
    // User errors (MLflow's names; note MLflow answers RESOURCE_ALREADY_EXISTS with 400, not 409).
    INVALID_PARAMETER_VALUE(400, Kind.USER),
    BAD_REQUEST(400, Kind.USER),
    MALFORMED_REQUEST(400, Kind.USER),
    RESOURCE_ALREADY_EXISTS(400, Kind.USER),
    INVALID_STATE(400, Kind.USER),
    RESOURCE_DOES_NOT_EXIST(404, Kind.USER),
    ENDPOINT_NOT_FOUND(404, Kind.USER),
    /** The path exists, but not with this HTTP method (MLflow's server answers 405 too). */
    METHOD_NOT_ALLOWED(405, Kind.USER),
    /** No credentials, or credentials that do not verify (MLflow's auth app answers 401 UNAUTHENTICATED too). */
    UNAUTHENTICATED(401, Kind.USER),
    PERMISSION_DENIED(403, Kind.USER),
    /** The resource is used by another (a registered version a deployment serves): remove that use first. */
    RESOURCE_IN_USE(409, Kind.USER),
    PAYLOAD_TOO_LARGE(413, Kind.USER),
    /** A change based on a state that another change has replaced since (an alias moved, a deployment redeployed). */
    CONFLICT(409, Kind.USER),
    /** A body in a media type the route does not take (text/plain or a form where JSON is expected). */
    UNSUPPORTED_MEDIA_TYPE(415, Kind.USER),

    // Resources
    REQUEST_LIMIT_EXCEEDED(429, Kind.INSUFFICIENT_RESOURCES),
    TEMPORARILY_UNAVAILABLE(503, Kind.INSUFFICIENT_RESOURCES),

    // Internal: stored data failed its checksum, or a bug.
    DATA_LOSS(500, Kind.INTERNAL),
    INTERNAL_ERROR(500, Kind.INTERNAL);

    /** Who is to blame: decides logging (internal errors are logged with their stack trace). */
    public enum Kind { USER, INSUFFICIENT_RESOURCES, INTERNAL }

    private final int httpStatus;
    private final Kind kind;

    ErrorCode(int httpStatus, Kind kind) {
        this.httpStatus = httpStatus;
        this.kind = kind;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** The CLI's exit code: 2 for anything the user can fix, 1 otherwise. */
    public int exitCode() {
        return kind == Kind.USER ? 2 : 1;
    }
}

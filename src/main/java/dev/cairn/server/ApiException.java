package dev.cairn.server;

/** A request the server refuses; rendered in the endpoint's own error shape, never with a stack trace. */
final class ApiException extends RuntimeException {
    enum Kind {
        BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE, CANCELLED, BUSY, INTERNAL;

        static Kind fromStatus(int status) {
            return switch (status) {
                case 401 -> UNAUTHORIZED;
                case 403 -> FORBIDDEN;
                case 404 -> NOT_FOUND;
                case 405 -> METHOD_NOT_ALLOWED;
                case 413 -> TOO_LARGE;
                case 503 -> BUSY;
                default -> status >= 500 ? INTERNAL : BAD_REQUEST;
            };
        }
    }

    private final Kind kind;
    private final String param;

    ApiException(Kind kind, String message) {
        this(kind, message, null);
    }

    ApiException(Kind kind, String message, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
    }

    static ApiException badRequest(String message) {
        return new ApiException(Kind.BAD_REQUEST, message);
    }

    static ApiException badParam(String param, String message) {
        return new ApiException(Kind.BAD_REQUEST, message, param);
    }

    Kind kind() {
        return kind;
    }

    String param() {
        return param;
    }
}

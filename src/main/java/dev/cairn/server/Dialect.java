package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Which API family an endpoint belongs to: decides error statuses, types and shapes. */
enum Dialect {
    OPENAI, ANTHROPIC;

    /** /v1/messages speaks Anthropic; everything else (including /health, /v1/requests) speaks OpenAI. */
    static Dialect forPath(String path) {
        return path != null && path.startsWith("/v1/messages") ? ANTHROPIC : OPENAI;
    }

    int status(ApiException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case CANCELLED -> 409;
            case TOO_LARGE -> 413;
            // Anthropic's own "overloaded" status is 529; OpenAI-compatible servers answer 503.
            case BUSY -> this == ANTHROPIC ? 529 : 503;
            case INTERNAL -> 500;
        };
    }

    String type(ApiException.Kind kind) {
        if (this == ANTHROPIC) {
            return switch (kind) {
                case BAD_REQUEST, CANCELLED, METHOD_NOT_ALLOWED -> "invalid_request_error";
                case UNAUTHORIZED -> "authentication_error";
                case FORBIDDEN -> "permission_error";
                case NOT_FOUND -> "not_found_error";
                case TOO_LARGE -> "request_too_large";
                case BUSY -> "overloaded_error";
                case INTERNAL -> "api_error";
            };
        }
        return switch (kind) {
            case BAD_REQUEST, TOO_LARGE, CANCELLED, METHOD_NOT_ALLOWED -> "invalid_request_error";
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case BUSY -> "server_error";
            case INTERNAL -> "server_error";
        };
    }

    /** OpenAI: {"error":{"message","type","param","code"}}; Anthropic: {"type":"error","error":{"type","message"}}. */
    ObjectNode errorBody(ApiException e) {
        return errorBody(e.kind(), e.getMessage(), e.param());
    }

    ObjectNode errorBody(ApiException.Kind kind, String message, String param) {
        ObjectNode root = Json.object();
        if (this == ANTHROPIC) {
            root.put("type", "error");
            ObjectNode err = root.putObject("error");
            err.put("type", type(kind));
            err.put("message", message);
        } else {
            ObjectNode err = root.putObject("error");
            err.put("message", message);
            err.put("type", type(kind));
            err.put("param", param);
            err.put("code", kind == ApiException.Kind.UNAUTHORIZED ? "invalid_api_key" : null);
        }
        return root;
    }
}

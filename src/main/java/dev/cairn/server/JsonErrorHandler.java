package dev.cairn.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refusals Jetty makes before any handler runs (headers too large, Content-Length beside Transfer-Encoding, a broken
 * request line) answered in the endpoint's JSON error shape instead of Jetty's HTML page, and logged as one line.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger("cairn.server");

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        String text = describe(code, message);
        LOG.warn("- {} {} status={} {}", request.getMethod(), path, code, text);
        Dialect dialect = Dialect.forPath(path);
        byte[] body = Json.bytes(dialect.errorBody(ApiException.Kind.fromStatus(code), text, null));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Jetty's reasons are terse ("Transfer-Encoding and Content-Length"); say what the client must change. */
    private static String describe(int code, String jettyMessage) {
        String reason = jettyMessage == null || jettyMessage.isBlank() ? "" : ": " + jettyMessage;
        return switch (code) {
            case 431 -> "the request's headers are too large (at most 8 KiB in all)";
            case 414 -> "the request URI is too long";
            case 408 -> "the request was not received in time" + reason;
            case 400 -> "the request is not valid HTTP" + reason;
            default -> "the request was refused" + reason;
        };
    }
}

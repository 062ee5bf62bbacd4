package dev.cairn.server;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages the user visits from driving the local server: the Host header must name this server (defeats DNS
 * rebinding), CORS is off unless one origin is allowed, and with an API key every /v1 route wants it.
 */
final class Security {
    private final ServerOptions options;
    private final Set<String> ownNames;
    private final boolean wildcard;

    Security(ServerOptions options) {
        this.options = options;
        this.ownNames = HostNames.own(options.host(), options.allowedHosts());
        String h = options.host().toLowerCase(Locale.ROOT);
        this.wildcard = h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    }

    void check(Context ctx, int port) {
        checkHost(ctx.header("Host"));
        checkOrigin(ctx);
        boolean preflight = cors(ctx);
        if (preflight) {
            ctx.status(204);
            ctx.skipRemainingHandlers();
            return;
        }
        if (options.apiKey() != null && (ctx.path().equals("/v1") || ctx.path().startsWith("/v1/"))) {
            checkKey(ctx);
        }
    }

    /**
     * DNS rebinding needs a name the attacker controls, so only the name is checked, never the port: an ssh or Docker
     * port forward reaches the server on another port under a name that is still this machine's.
     */
    private void checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "missing Host header");
        }
        String name = HostNames.nameOf(host);
        if (HostNames.isLoopback(name) || ownNames.contains(name)) {
            return;
        }
        // Bound to every interface: any IP literal is fine (an IP literal is not a name an attacker can rebind).
        if (wildcard && HostNames.isIpLiteral(name)) {
            return;
        }
        throw new ApiException(ApiException.Kind.FORBIDDEN, "Host header '" + host.trim()
                + "' does not name this server; to allow that name, start the server with --allowed-host " + name);
    }

    /**
     * A page on another site can still send a "simple" POST (a form, or fetch with no-cors) to 127.0.0.1: the browser
     * only hides the answer. Since bodies parse as JSON whatever their content type, such a request would start a
     * generation or cancel someone's request, so a request that changes something must come from this server's own
     * pages (the dashboard) or the --cors-origin one. Clients that are not browsers send no Origin and are not affected.
     */
    private void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String method = ctx.method().name();
        if (origin == null || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        String allowed = options.corsOrigin();
        if (allowed != null && (allowed.equals("*") || allowed.equalsIgnoreCase(origin.trim()))) {
            return;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        int scheme = o.indexOf("://");
        String host = ctx.header("Host");
        if (scheme > 0 && host != null && o.substring(scheme + 3).equals(host.trim().toLowerCase(Locale.ROOT))) {
            return; // same origin: the dashboard
        }
        throw new ApiException(ApiException.Kind.FORBIDDEN, "requests from web pages at '" + origin
                + "' are refused; start the server with --cors-origin " + origin + " to allow that site");
    }

    /** Adds CORS headers for an allowed origin; returns true for a preflight request that is now answered. */
    private boolean cors(Context ctx) {
        String allowed = options.corsOrigin();
        String origin = ctx.header("Origin");
        if (allowed == null || origin == null || !(allowed.equals("*") || allowed.equalsIgnoreCase(origin))) {
            return false;
        }
        ctx.header("Access-Control-Allow-Origin", allowed.equals("*") ? "*" : origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", "Content-Type");
        if (ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            String requested = ctx.header("Access-Control-Request-Headers");
            ctx.header("Access-Control-Allow-Headers", requested != null ? requested
                    : "Authorization, Content-Type, X-Api-Key, X-Prefill-Progress, Anthropic-Version");
            ctx.header("Access-Control-Max-Age", "600");
            return true;
        }
        return false;
    }

    private void checkKey(Context ctx) {
        if (ctx.method().name().equals("OPTIONS")) {
            return;
        }
        String given = ctx.header("x-api-key");
        String auth = ctx.header("Authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).trim();
        }
        if (given == null) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED,
                    "missing API key: send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'");
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                options.apiKey().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "invalid API key");
        }
    }
}

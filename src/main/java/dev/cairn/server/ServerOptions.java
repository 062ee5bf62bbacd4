package dev.cairn.server;

/**
 * How the server listens and behaves. Engine sizing (parallel, prefillChunk, ctxSize, threads) is carried here so the
 * command line has one place for everything; the server itself only reads {@code parallel} (for the queue bound).
 *
 * @param apiKey         null or blank = no key required
 * @param corsOrigin     null = CORS off; "*" or one origin that browsers may call from
 * @param maxQueued      requests allowed to wait beyond the running ones before new ones get 503
 * @param ctxSize        0 = the engine's default
 * @param threads        0 = the engine's default (all cores)
 * @param alias          null = the model's file name without .gguf
 * @param allowedHosts   Host header names accepted beyond the ones the server knows are its own (--allowed-host)
 * @param nPredict       most tokens generated for a request that sets no limit (llama.cpp's --n-predict); 0 = until
 *                       the context is full
 */
public record ServerOptions(String host, int port, String apiKey, String corsOrigin, long maxBodyBytes,
                            long queueUpdateMs, long keepaliveS, int parallel, int prefillChunk, int ctxSize,
                            int threads, String alias, int maxQueued, java.util.List<String> allowedHosts,
                            int nPredict) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ServerOptions {
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
        if (corsOrigin != null && corsOrigin.isBlank()) {
            corsOrigin = null;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (queueUpdateMs < 1 || keepaliveS < 1) {
            throw new IllegalArgumentException("queue update and keep-alive intervals must be positive");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        allowedHosts = allowedHosts == null ? java.util.List.of() : java.util.List.copyOf(allowedHosts);
        if (nPredict < 0) {
            throw new IllegalArgumentException("nPredict must not be negative");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must not be negative");
        }
    }

    /** 127.0.0.1:8080, key from CAIRN_API_KEY if set, no CORS, 10 MiB bodies, 1 s queue updates, 10 s keep-alive. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, System.getenv("CAIRN_API_KEY"), null, 10L << 20, 1000, 10,
                1, 512, 0, 0, null, 64, java.util.List.of(), 0);
    }

    public ServerOptions withNPredict(int n) {
        return new ServerOptions(host, port, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, n);
    }

    public ServerOptions withHost(String h) {
        return new ServerOptions(h, port, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withApiKey(String k) {
        return new ServerOptions(host, port, k, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withCorsOrigin(String o) {
        return new ServerOptions(host, port, apiKey, o, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withMaxBodyBytes(long b) {
        return new ServerOptions(host, port, apiKey, corsOrigin, b, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withTiming(long queueUpdate, long keepalive) {
        return new ServerOptions(host, port, apiKey, corsOrigin, maxBodyBytes, queueUpdate, keepalive, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withEngine(int par, int chunk, int ctx, int thr) {
        return new ServerOptions(host, port, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, par,
                chunk, ctx, thr, alias, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withAlias(String a) {
        return new ServerOptions(host, port, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, a, maxQueued, allowedHosts, nPredict);
    }

    public ServerOptions withMaxQueued(int q) {
        return new ServerOptions(host, port, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, q, allowedHosts, nPredict);
    }

    public ServerOptions withAllowedHosts(java.util.List<String> hosts) {
        return new ServerOptions(host, port, apiKey, corsOrigin, maxBodyBytes, queueUpdateMs, keepaliveS, parallel,
                prefillChunk, ctxSize, threads, alias, maxQueued, hosts, nPredict);
    }
}

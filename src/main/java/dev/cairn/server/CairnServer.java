package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatTurns;
import dev.cairn.engine.Engine;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.RequestRejectedException;
import dev.cairn.engine.RequestStatus;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cairn's HTTP server: OpenAI and Anthropic compatible endpoints over one {@link Engine}, live prefill progress in
 * the streams, the request list and cancel endpoints, /health and the dashboard's static files.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("cairn.server");
    private static final String DASHBOARD = "/cairn/dashboard";
    /** Most bytes of a refused (too large) body read and dropped before answering; see {@link #discardRest}. */
    private static final long DISCARD_CAP = 64L << 20;

    private final Engine engine;
    private final TurnPlanner planner;
    private final ServerOptions options;
    private final String modelId;
    private final Security security;
    private final Javalin app;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ResponseStore responses = new ResponseStore();
    private final TokenEndpoints tokens;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final long created = Instant.now().getEpochSecond();
    private final ActivityStream activity;
    /** Each generation's handler, completed once its response and log line are done (the cancel call waits on it). */
    private final Map<String, CompletableFuture<Void>> handlers = new ConcurrentHashMap<>();

    public CairnServer(Engine engine, ServerOptions options) {
        this(engine, options, ChatTurns::plan);
    }

    CairnServer(Engine engine, ServerOptions options, TurnPlanner planner) {
        this.engine = engine;
        this.planner = planner;
        this.options = options;
        this.modelId = options.alias() != null ? options.alias() : engine.model().id();
        this.security = new Security(options);
        this.activity = new ActivityStream(engine.tracker(), options);
        this.tokens = new TokenEndpoints(engine.model(), planner);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            // Compression would buffer SSE frames; progress lines must leave the moment they are written.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.http.prefer405over404 = true; // GET /v1/chat/completions: the path is right, the method is not
            // Jetty's idle timeout does not end a request that is being handled without pending I/O (measured), so
            // long non-streaming generations need no longer timeout.
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            if (CairnServer.class.getResource(DASHBOARD + "/index.html") != null) {
                config.staticFiles.add(sf -> {
                    sf.hostedPath = "/";
                    sf.directory = DASHBOARD;
                    sf.location = Location.CLASSPATH;
                });
            }
            var routes = config.routes;
            routes.before(ctx -> security.check(ctx, port()));
            routes.get("/health", this::health);
            routes.get("/v1/models", this::models);
            routes.get("/v1/models/{id}", this::model);
            routes.post("/v1/chat/completions", ctx -> generate(ctx, Endpoint.CHAT));
            routes.post("/v1/completions", ctx -> generate(ctx, Endpoint.COMPLETION));
            routes.post("/v1/messages", ctx -> generate(ctx, Endpoint.MESSAGES));
            routes.post("/v1/responses", ctx -> generate(ctx, Endpoint.RESPONSES));
            routes.get("/v1/responses/{id}", this::storedResponse);
            routes.post("/v1/messages/count_tokens", ctx -> json(ctx, 200, tokens.countTokens(body(ctx))));
            routes.post("/tokenize", ctx -> json(ctx, 200, tokens.tokenize(body(ctx))));
            routes.post("/detokenize", ctx -> json(ctx, 200, tokens.detokenize(body(ctx))));
            routes.post("/apply-template", ctx -> json(ctx, 200, tokens.applyTemplate(body(ctx))));
            routes.get("/v1/requests", this::requests);
            routes.get("/v1/requests/events", activity::handle);
            routes.post("/v1/requests/{id}/cancel", this::cancel);
            routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, new ApiException(ApiException.Kind.INTERNAL, "internal server error ("
                        + e.getClass().getSimpleName() + ")"));
            });
            // Javalin's own refusals (no such endpoint, wrong method) in the endpoint's error shape too.
            routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(
                    ApiException.Kind.fromStatus(e.getStatus()), switch (e.getStatus()) {
                        case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
                        case 405 -> ctx.method() + " is not allowed on " + ctx.path() + "; it takes "
                                + (GET_ROUTES.contains(ctx.path()) || ctx.path().startsWith("/v1/models/") ? "GET" : "POST");
                        default -> e.getMessage();
                    })));
        });
    }

    private static final Set<String> GET_ROUTES = Set.of("/health", "/v1/models", "/v1/requests",
            "/v1/requests/events");

    public CairnServer start() {
        app.start();
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    public String modelId() {
        return modelId;
    }

    /** http://HOST:PORT with IPv6 hosts bracketed. */
    public String baseUrl() {
        String h = options.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        }
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    /**
     * Graceful stop: refuse new requests, let running ones finish for up to {@code grace}, cancel the rest, wait for
     * their responses to close, then stop the HTTP server.
     */
    public void stop(Duration grace) {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        engine.shutdown(grace);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        activity.close();
        app.stop();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    private void health(Context ctx) {
        ObjectNode o = Json.object();
        o.put("status", draining.get() ? "shutting_down" : "ok");
        o.put("model", modelId);
        json(ctx, draining.get() ? 503 : 200, o);
    }

    private void models(Context ctx) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        root.putArray("data").add(modelObject());
        root.put("has_more", false);
        root.put("first_id", modelId);
        root.put("last_id", modelId);
        json(ctx, 200, root);
    }

    /** GET /v1/models/{id}: the SDKs' models.retrieve (OpenAI and Anthropic use the same path). */
    private void model(Context ctx) {
        String id = ctx.pathParam("id");
        if (!id.equals(modelId)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "no model '" + id + "' here; this server serves '"
                    + modelId + "' (and answers generation requests whatever model name they give)", "model");
        }
        json(ctx, 200, modelObject());
    }

    /** One model in both APIs' fields, so both SDKs can list and retrieve it. */
    private ObjectNode modelObject() {
        ObjectNode m = Json.object();
        m.put("id", modelId);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "cairn");
        m.put("type", "model");
        m.put("display_name", modelId);
        m.put("created_at", Instant.ofEpochSecond(created).toString());
        m.put("lifecycle", "active");
        m.putNull("capabilities");
        m.putNull("line");
        m.put("max_input_tokens", contextSize());
        m.put("max_tokens", contextSize());
        m.putNull("deprecated_at");
        m.putNull("retires_at");
        return m;
    }

    /** GET /v1/responses/{id}: a kept Responses API answer, else OpenAI's 404. */
    private void storedResponse(Context ctx) {
        String id = ctx.pathParam("id");
        ResponseStore.Stored stored = responses.get(id);
        if (stored == null) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "Response with id '" + id + "' not found (this server"
                    + " keeps the last " + ResponseStore.CAPACITY + " responses not sent with store: false)");
        }
        json(ctx, 200, stored.response());
    }

    private void requests(Context ctx) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (RequestStatus s : engine.requests()) {
            ObjectNode r = data.addObject();
            r.put("id", s.id());
            r.put("model", modelId);
            r.put("phase", s.phase());
            r.put("position", s.position());
            r.put("processed_tokens", s.processedTokens());
            r.put("total_tokens", s.totalTokens());
            r.put("cached_tokens", s.cachedTokens());
            r.put("created", s.createdEpochSeconds());
        }
        json(ctx, 200, root);
    }

    /**
     * Cancels a request and answers once it has ended: its slot or queue place is free, it has left the request list,
     * its handler has finished and its log line is written.
     */
    private void cancel(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        CompletableFuture<Void> handler = handlers.get(id);
        if (!engine.cancel(id)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "no request in flight with id '" + id + "'");
        }
        if (handler != null) {
            awaitHandler(id, handler);
        }
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("cancelled", true);
        json(ctx, 200, o);
    }

    /** Not a deadline: a cancelled request always ends; this only reports one that seems stuck. */
    private static void awaitHandler(String id, CompletableFuture<Void> handler) throws InterruptedException {
        while (true) {
            try {
                handler.get(30, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                LOG.warn("{} has not ended 30 s after its cancel; still waiting", id);
            } catch (ExecutionException e) {
                return;
            }
        }
    }

    private void generate(Context ctx, Endpoint endpoint) throws InterruptedException, IOException {
        RequestLog.Entry log = RequestLog.start(endpoint.path);
        String id = null;
        CompletableFuture<Void> handled = new CompletableFuture<>();
        try {
            ObjectNode body = Json.parseBody(readBody(ctx));
            String progressHeader = ctx.header("X-Prefill-Progress");
            ApiRequest request = switch (endpoint) {
                case CHAT -> OpenAiRequests.chat(body, progressHeader);
                case COMPLETION -> OpenAiRequests.completion(body, progressHeader);
                case MESSAGES -> AnthropicRequests.messages(body, progressHeader);
                case RESPONSES -> ResponsesRequests.parse(body, progressHeader, responses);
            };
            Prompts.Prepared prepared = Prompts.prepare(request, engine.model(), planner);
            int[] prompt = prepared.tokens();
            id = endpoint.newId();
            log.id(id, prompt.length);
            handlers.put(id, handled);
            activity.started(id, new ActivityStream.Origin(endpoint.path, modelId, ctx.ip(), ctx.userAgent()));
            // A max_tokens beyond the room the prompt leaves is capped to it (the answer then ends with the length
            // reason); a prompt with no room at all is refused by the engine's check below.
            int room = Math.max(1, contextSize() - prompt.length);
            Integer asked = request.maxTokens() != null ? request.maxTokens()
                    : options.nPredict() > 0 ? Integer.valueOf(options.nPredict()) : null;
            int maxTokens = asked != null ? Math.min(asked, room) : room;
            GenerationRequest generation = new GenerationRequest(id, prompt, request.sampling(), maxTokens,
                    request.stop(), prepared.constraint());
            try {
                engine.validate(generation);
            } catch (RequestRejectedException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            admit();
            try {
                new Generation(engine, options, modelId, request, generation, prepared.parser(), log).run(ctx);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (ApiException e) {
            log.status(endpoint.dialect().status(e.kind()) + " " + e.getMessage());
            throw e;
        } catch (RuntimeException | IOException e) {
            log.status("500 " + e);
            throw e;
        } finally {
            log.status(Integer.toString(ctx.status().getCode()));
            log.write();
            if (id != null) {
                activity.abandoned(id);
                handlers.remove(id, handled);
            }
            handled.complete(null);
        }
    }

    /** Bounds the work waiting on the engine: parallel running plus maxQueued waiting; beyond that, busy. */
    private void admit() {
        if (draining.get()) {
            throw new ApiException(ApiException.Kind.BUSY, "the server is shutting down");
        }
        int limit = options.parallel() + options.maxQueued();
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            throw new ApiException(ApiException.Kind.BUSY, "the server is busy: " + limit
                    + " requests are already running or queued; retry later");
        }
    }

    /** The engine's default context when none was given: the model's own, capped at 8192 (as the engine does). */
    private int contextSize() {
        if (options.ctxSize() > 0) {
            return options.ctxSize();
        }
        return Math.min(8192, engine.model().model().config().contextLength());
    }

    private ObjectNode body(Context ctx) throws IOException {
        return Json.parseBody(readBody(ctx));
    }

    private byte[] readBody(Context ctx) throws IOException {
        long limit = options.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > limit) {
                discardRest(in);
                throw tooLarge(limit);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                discardRest(in);
                throw tooLarge(limit);
            }
            return bytes;
        } catch (org.eclipse.jetty.io.EofException e) {
            // The client stopped sending (hung up or half-closed) before its Content-Length or last chunk: its fault,
            // one log line with the 400 it is sent (if it still listens), no stack trace.
            throw ApiException.badRequest("the request body ended early: the client stopped sending before the "
                    + (declared >= 0 ? "declared " + declared + " bytes" : "last chunk"));
        } catch (org.eclipse.jetty.http.BadMessageException e) {
            throw ApiException.badRequest("the request body is not valid HTTP: " + e.getMessage());
        }
    }

    /**
     * Reads and drops what is left of a refused body (up to {@link #DISCARD_CAP}). A client is usually still sending
     * when the 413 goes out; closing the connection on unread data makes TCP reset it, and the client then sees a
     * broken connection instead of the 413 (seen with java.net.http).
     */
    private static void discardRest(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DISCARD_CAP && (n = in.read(buf)) >= 0) {
            total += n;
        }
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(ApiException.Kind.TOO_LARGE, "request body is larger than the limit of "
                + limit + " bytes");
    }

    private void error(Context ctx, ApiException e) {
        Dialect dialect = Dialect.forPath(ctx.path());
        if (ctx.res().isCommitted()) {
            return;
        }
        if (e.kind() == ApiException.Kind.UNAUTHORIZED && dialect == Dialect.OPENAI) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        json(ctx, dialect.status(e.kind()), dialect.errorBody(e));
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }
}

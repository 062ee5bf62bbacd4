package dev.cairn.cli;

import dev.cairn.catalog.ModelEntry;
import dev.cairn.catalog.ModelLocator;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the HTTP server until SIGTERM / Ctrl-C, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the HTTP server: OpenAI API (/v1/chat/completions, /v1/completions, /v1/models), "
                + "Anthropic API (/v1/messages), live prefill progress, and the dashboard at /.",
                "On SIGTERM or Ctrl-C it stops accepting, lets running requests finish for --grace-s, then cancels them."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model: a path or a name from `cairn models`; default the smallest model found, "
                    + "else the bundled demo model.")
    String model;

    @Option(names = "--host", defaultValue = ServerOptions.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = {"-a", "--alias"}, paramLabel = "NAME", description = "Model id clients see (default the file name without .gguf).")
    String alias;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require this key (Authorization: Bearer KEY or x-api-key: KEY) on /v1 routes; default $CAIRN_API_KEY.")
    String apiKey;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "Let web pages from this origin (or *) call the API; CORS is off by default.")
    String corsOrigin;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "Also accept requests whose Host header names NAME (repeatable), e.g. a reverse proxy's or "
                    + "a container's name; loopback names on any port and, when listening beyond loopback, this "
                    + "machine's names and addresses are always accepted.")
    java.util.List<String> allowedHosts = new java.util.ArrayList<>();

    @Option(names = {"-np", "--parallel"}, defaultValue = "1", paramLabel = "N", description = "Requests running at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--prefill-chunk", defaultValue = "512", paramLabel = "C", description = "Prompt tokens per batched pass (default ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = {"-c", "--ctx-size"}, defaultValue = "0", paramLabel = "N", description = "Context size per slot, 0 = the model's, capped at 8192.")
    int ctxSize;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "T", description = "Worker threads, 0 = one per core.")
    int threads;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "0", paramLabel = "N",
            description = "Most tokens to generate for a request that sets no max_tokens (default ${DEFAULT-VALUE} ="
                    + " until the model stops or the context is full).")
    int nPredict;

    @Option(names = "--queue-update-ms", defaultValue = "1000", paramLabel = "MS",
            description = "How often a queued request hears its position (default ${DEFAULT-VALUE}).")
    long queueUpdateMs;

    @Option(names = "--keepalive-s", defaultValue = "10", paramLabel = "S",
            description = "Keep-alive comment after this many seconds of silence in a stream (default ${DEFAULT-VALUE}).")
    long keepaliveS;

    @Option(names = "--max-queue", defaultValue = "64", paramLabel = "N",
            description = "Requests that may wait for a slot; beyond that the server answers 503 (default ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body-mb", defaultValue = "10", paramLabel = "MB", description = "Largest request body (default ${DEFAULT-VALUE} MiB).")
    int maxBodyMb;

    @Option(names = "--grace-s", defaultValue = "10", paramLabel = "S",
            description = "On shutdown, how long running requests may finish before they are cancelled (default ${DEFAULT-VALUE}).")
    int graceS;

    @Override
    public Integer call() {
        ServerOptions options = serverOptions();
        EngineOptions engineOptions = new EngineOptions(parallel, prefillChunk, ctxSize, threads);
        checkPortFree(options);
        ModelEntry entry = ModelLocator.system().locate(model);
        Path path = entry.path();
        // Ollama's blobs are named by hash: its NAME:TAG is the id people know the model by
        ModelBundle bundle = ModelLoading.load(path, alias != null ? alias : entry.modelId(), engineOptions, System.err);
        LocalEngine engine = new LocalEngine(bundle, engineOptions);
        engine.warmUp();
        CairnServer server;
        try {
            server = new CairnServer(engine, options).start();
        } catch (RuntimeException e) {
            engine.close();
            bundle.close();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + rootMessage(e), e);
        }
        printBanner(System.out, server, path, options, engine);
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable gracefulStop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            System.err.println("cairn: shutting down (running requests get " + graceS + " s to finish)");
            server.stop(Duration.ofSeconds(graceS));
            engine.close();
            bundle.close();
            stopped.countDown();
        };
        // SIGTERM and a first Ctrl-C stop gracefully and exit 0, so a service manager records a clean stop (a
        // shutdown hook alone would exit 143/130); a second Ctrl-C while requests finish exits 130 at once.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> Thread.ofPlatform().start(gracefulStop));
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
            if (stopping.get()) {
                System.err.println("cairn: interrupted again, stopping now");
                Runtime.getRuntime().halt(130);
            }
            Thread.ofPlatform().start(gracefulStop);
        });
        // Other ways the JVM ends (SIGHUP, System.exit elsewhere) still stop gracefully.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gracefulStop.run();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cairn-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    ServerOptions serverOptions() {
        String key = apiKey != null ? apiKey : System.getenv("CAIRN_API_KEY");
        return ServerOptions.defaults().withHost(host).withPort(port).withApiKey(key).withCorsOrigin(corsOrigin)
                .withTiming(queueUpdateMs, keepaliveS).withEngine(parallel, prefillChunk, ctxSize, threads)
                .withAlias(alias).withMaxQueued(maxQueue).withMaxBodyBytes((long) maxBodyMb << 20)
                .withAllowedHosts(allowedHosts).withNPredict(nPredict);
    }

    static void printBanner(PrintStream out, CairnServer server, Path file, ServerOptions options, LocalEngine engine) {
        String base = server.baseUrl();
        out.println("cairn serving " + server.modelId() + " (" + file + ")");
        out.println("  context " + engine.ctxSize() + " tokens per slot, " + engine.parallel() + " slot(s), prefill chunk "
                + engine.prefillChunk());
        out.println("  Dashboard:          " + base + "/");
        out.println("  OpenAI base URL:    " + base + "/v1");
        out.println("  Anthropic base URL: " + base);
        if (options.apiKey() != null) {
            out.println("  API key required on /v1 routes (Authorization: Bearer KEY or x-api-key: KEY)");
        }
        if (!options.host().equals("127.0.0.1") && !options.host().equals("localhost") && !options.host().equals("::1")) {
            out.println("  warning: listening on " + options.host() + ", reachable from other machines"
                    + (options.apiKey() == null ? " without an API key" : ""));
        }
        out.flush();
    }

    /**
     * A busy port found before the model loads (which can take a while), in one line; the bind after loading can
     * still fail if another program takes the port meanwhile, and reports it the same way.
     */
    private static void checkPortFree(ServerOptions options) {
        if (options.port() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(options.host(), options.port()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + (e instanceof java.net.BindException ? "the port is in use (another server?); choose another"
                    + " with --port" : rootMessage(e)));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

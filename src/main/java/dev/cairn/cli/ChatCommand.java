package dev.cairn.cli;

import dev.cairn.catalog.ModelEntry;
import dev.cairn.catalog.ModelLocator;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.SamplingParams;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a model in the terminal, using its chat template.",
                "Interactive on a terminal; with --prompt-file or piped stdin it answers once and exits.",
                "Ctrl-C stops the answer in progress; at the prompt it quits."})
public final class ChatCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, description = "GGUF path or model name (see `cairn models`); default: the first found, else the bundled demo model")
    String model;

    @Option(names = "--system", description = "System prompt.")
    String system;

    @Option(names = {"-f", "--prompt-file"}, description = "Read the question from this file, answer once and exit.")
    Path promptFile;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "1024", description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--seed", description = "Sampling seed, for repeatable answers.")
    Long seed;

    @Option(names = "--prefill-chunk", defaultValue = "512", description = "Prompt tokens per prefill pass; the bar moves after each (default: ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = {"-c", "--ctx-size"}, defaultValue = "0", description = "Context size in tokens; 0 = the model's, capped at 8192.")
    int ctxSize;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", description = "Worker threads; 0 = one per core.")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (maxTokens < 1) {
            err.println("error: --max-tokens must be at least 1");
            return 2;
        }
        String oneShot = oneShotPrompt();
        if (oneShot != null && oneShot.isBlank()) {
            err.println("error: the prompt is empty" + (promptFile == null ? " (stdin is not a terminal: pipe a question"
                    + " in, use --prompt-file, or run cairn chat in a terminal to chat)" : ""));
            return 2;
        }
        ModelEntry entry = ModelLocator.system().locate(model);
        EngineOptions options = new EngineOptions(1, prefillChunk, ctxSize, threads);
        SamplingParams base = SamplingParams.defaults();
        SamplingParams sampling = new SamplingParams(temperature, base.topK(), base.topP(), base.minP(),
                base.repeatPenalty(), base.repeatLastN(), base.frequencyPenalty(), base.presencePenalty(), seed);
        ModelBundle bundle = ModelLoading.load(entry.path(), entry.modelId(), options, err);
        try (LocalEngine engine = new LocalEngine(bundle, options)) {
            ChatSession session = new ChatSession(engine, engine.ctxSize(), system, sampling, maxTokens, out, err,
                    Terminals.stderrIsTerminal());
            SignalHandler previous = installCtrlC(session);
            try {
                if (oneShot != null) {
                    ChatSession.Answer a = session.ask(oneShot);
                    if (a.done() != null) {
                        err.println(ChatSession.stats(a.done()));
                    }
                    return a.error() != null ? 1 : a.cancelled() ? 130 : 0;
                }
                engine.warmUp(); // while the user types: the first answer's bar then shows a true rate and ETA
                return interactive(session, bundle.id(), engine.ctxSize(), out, err);
            } finally {
                if (previous != null) {
                    Signal.handle(new Signal("INT"), previous);
                }
            }
        } finally {
            bundle.close();
        }
    }

    /** The question for one-shot use (from --prompt-file, or stdin when it is not a terminal), else null. */
    private String oneShotPrompt() throws IOException {
        if (promptFile != null) {
            try {
                return Files.readString(promptFile, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("prompt file not found: " + promptFile);
            }
        }
        Console console = System.console();
        if (console != null && console.isTerminal()) {
            return null;
        }
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static int interactive(ChatSession session, String modelId, int ctx, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        err.println("cairn chat with " + modelId + " (" + ctx + "-token context). Enter sends; end a line with \\ to"
                + " continue it; /new starts over; /exit or Ctrl-D quits; Ctrl-C stops an answer.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out.print("> ");
            out.flush();
            String question = readQuestion(in, out);
            if (question == null) {
                out.println();
                return 0;
            }
            switch (question.strip()) {
                case "" -> {
                    continue;
                }
                case "/exit", "/quit" -> {
                    return 0;
                }
                case "/new", "/reset" -> {
                    session.reset();
                    err.println("[new chat]");
                    continue;
                }
                case "/help" -> {
                    err.println("/new starts a new chat, /exit quits; Ctrl-C stops an answer.");
                    continue;
                }
                default -> {
                }
            }
            ChatSession.Answer a = session.ask(question);
            if (a.done() != null && !a.cancelled()) {
                err.println(ChatSession.stats(a.done()));
            }
        }
    }

    /** One question; lines ending in a backslash continue it. Null at end of input. */
    private static String readQuestion(BufferedReader in, PrintStream out) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return sb.isEmpty() ? null : sb.toString();
            }
            if (line.endsWith("\\")) {
                sb.append(line, 0, line.length() - 1).append('\n');
                out.print(". ");
                out.flush();
            } else {
                return sb.append(line).toString();
            }
        }
    }

    /** Ctrl-C stops the answer in progress; with none, it quits as usual. Returns the handler it replaced. */
    private static SignalHandler installCtrlC(ChatSession session) {
        try {
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(new Signal("INT"), sig -> {
                if (!session.busy() || !session.cancelCurrent()) {
                    System.err.println();
                    System.exit(130);
                }
            });
            return previous[0];
        } catch (IllegalArgumentException e) {
            return null; // no SIGINT on this platform (or the JVM was started with -Xrs): Ctrl-C just quits
        }
    }
}

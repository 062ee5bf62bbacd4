package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTP server (OpenAI and Anthropic APIs, dashboard).")
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn serve: not implemented yet");
        return 2;
    }
}

package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Download a GGUF model.")
public final class PullCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn pull: not implemented yet");
        return 2;
    }
}

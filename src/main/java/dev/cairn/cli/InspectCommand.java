package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Describe a GGUF file.")
public final class InspectCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn inspect: not implemented yet");
        return 2;
    }
}

package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Raw completion of a prompt.")
public final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn generate: not implemented yet");
        return 2;
    }
}

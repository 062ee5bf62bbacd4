package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models cairn can find.")
public final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn models: not implemented yet");
        return 2;
    }
}

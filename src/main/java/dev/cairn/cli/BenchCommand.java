package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure prefill and decode tokens/s.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn bench: not implemented yet");
        return 2;
    }
}

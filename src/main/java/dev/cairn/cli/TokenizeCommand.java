package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of a text.")
public final class TokenizeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn tokenize: not implemented yet");
        return 2;
    }
}

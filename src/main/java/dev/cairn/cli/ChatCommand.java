package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Interactive chat in the terminal.")
public final class ChatCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn chat: not implemented yet");
        return 2;
    }
}

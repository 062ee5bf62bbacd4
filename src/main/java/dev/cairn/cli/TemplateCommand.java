package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until its issue lands: says so plainly and fails.
@Command(name = "template", mixinStandardHelpOptions = true, description = "Render a chat template for a messages file.")
public final class TemplateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cairn template: not implemented yet");
        return 2;
    }
}

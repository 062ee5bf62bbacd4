package dev.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `cairn` command line. Each subcommand lives in its own class. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Local LLM inference server: GGUF models on the CPU, OpenAI and Anthropic APIs, live prefill progress.",
        subcommands = {
                ServeCommand.class,
                ChatCommand.class,
                GenerateCommand.class,
                BenchCommand.class,
                InspectCommand.class,
                TokenizeCommand.class,
                TemplateCommand.class,
                ModelsCommand.class,
                PullCommand.class,
                PsCommand.class,
                TopCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("CAIRN_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }
}

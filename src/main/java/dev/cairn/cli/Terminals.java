package dev.cairn.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether output goes to a person's terminal, where bars may redraw in place, or to a pipe or log file. */
final class Terminals {
    private Terminals() {
    }

    /**
     * Standard error is a terminal: as the launcher says (property cairn.stderr.terminal), else on Linux as its file
     * descriptor tells, else the console's answer (which is about standard input and output) stands in.
     */
    static boolean stderrIsTerminal() {
        // The launcher filters stderr through a pipe and says what it saw.
        String told = System.getProperty("cairn.stderr.terminal");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        return fdIsTerminal(2);
    }

    /** Standard output is a terminal (Linux: as its file descriptor tells; elsewhere the console's answer). */
    static boolean stdoutIsTerminal() {
        return fdIsTerminal(1);
    }

    private static boolean fdIsTerminal(int n) {
        Path fd = Path.of("/proc/self/fd/" + n);
        if (Files.isSymbolicLink(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to the console
            }
        }
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}

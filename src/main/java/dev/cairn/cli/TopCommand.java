package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn top}: a running server's requests, live, until Ctrl-C. On a terminal the view redraws in place with a
 * bar per prompt being processed; elsewhere (a pipe, a log file) each change is one plain line.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Watch a running server's requests live (Ctrl-C to quit): queue positions, prompt progress "
                + "bars, decode rates, and the last few finished.")
public final class TopCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin
    ServerConnection server;

    @Option(names = "--plain", description = "One line per change, no redrawing (the default off a terminal).")
    boolean plain;

    @Spec
    CommandSpec spec;

    private int drawnLines;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean live = !plain && Terminals.stdoutIsTerminal();
        if (live) {
            out.print("\u001b[?25l"); // no cursor blinking among the bars
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.print("\u001b[?25h");
                out.flush();
            }));
        }
        Map<String, String> printed = new HashMap<>();
        ActivityFeed feed = new ActivityFeed();
        feed.follow(server.url, server.key(), f -> {
            if (live) {
                redraw(out, f);
            } else {
                printChanges(out, f, printed);
            }
            return true;
        });
        out.println("the server closed the activity stream");
        out.flush();
        return 0;
    }

    private void redraw(PrintWriter out, ActivityFeed feed) {
        List<String> lines = new ArrayList<>();
        List<JsonNode> now = feed.inFlight();
        lines.add("cairn top  " + server.url + "  " + now.size() + " in flight  (Ctrl-C to quit)");
        for (JsonNode s : now) {
            lines.add("");
            lines.add(ActivityText.title(s));
            lines.add("  " + ActivityText.progress(s, true));
        }
        List<JsonNode> done = feed.finished();
        if (!done.isEmpty()) {
            lines.add("");
            lines.add("Finished:");
            for (JsonNode s : done.reversed()) {
                lines.add("  " + ActivityText.title(s));
                lines.add("    " + ActivityText.progress(s, true));
            }
        }
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\u001b[").append(drawnLines).append('F'); // back to the first line drawn last time
        }
        for (String l : lines) {
            sb.append(l).append("\u001b[K\n");
        }
        sb.append("\u001b[J"); // whatever the last frame had below this one
        out.print(sb);
        out.flush();
        drawnLines = lines.size();
    }

    private static void printChanges(PrintWriter out, ActivityFeed feed, Map<String, String> printed) {
        List<JsonNode> all = new ArrayList<>(feed.finished());
        all.addAll(feed.inFlight());
        for (JsonNode s : all) {
            String id = s.path("id").asText();
            String line = ActivityText.progress(s, false);
            if (!line.equals(printed.get(id))) {
                if (!printed.containsKey(id)) {
                    out.println(LocalTime.now().format(CLOCK) + "  " + ActivityText.title(s));
                }
                printed.put(id, line);
                out.println(LocalTime.now().format(CLOCK) + "  " + id + "  " + line);
            }
        }
        out.flush();
    }
}

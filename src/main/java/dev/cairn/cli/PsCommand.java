package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cairn ps}: one table of the requests a running server is working on now, whoever sent them. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "List the requests a running server is working on now: phase, queue position, prompt progress, "
                + "rate, and who sent them.")
public final class PsCommand implements Callable<Integer> {
    @Mixin
    ServerConnection server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ActivityFeed feed = new ActivityFeed();
        feed.follow(server.url, server.key(), f -> false);
        PrintWriter out = spec.commandLine().getOut();
        List<JsonNode> now = feed.inFlight();
        if (now.isEmpty()) {
            out.println("no requests in flight");
        } else {
            out.print(ActivityText.table(now.stream().map(ActivityText::row).toList()));
        }
        out.flush();
        return 0;
    }
}

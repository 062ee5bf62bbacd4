package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerOptions;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cairn top} in a real terminal (util-linux's {@code script} gives it a pseudo-terminal) and {@code cairn ps},
 * watching a server while another client streams a long prompt to it.
 */
class ActivityCommandsTest {
    private static final Pattern PROMPT_BAR = Pattern.compile("Prompt ▕[^▏]*▏ (\\d+)/(\\d+) tok");

    @TempDir
    Path tmp;

    @Test
    void topShowsAnotherClientsPromptBarRisingThenDecodingAndPsListsIt() throws Exception {
        // 100M random weights in 16-token chunks: a long prompt takes many chunks, each a visible step of the bar
        Path modelFile = SyntheticModel.write(tmp.resolve("random-100m-q8_0.gguf"),
                new SyntheticModel.Spec("llama", SyntheticModel.Shape.M100, GgmlType.Q8_0, 42));
        EngineOptions engineOptions = new EngineOptions(1, 16, 1024, 0);
        try (ModelBundle bundle = ModelBundles.load(modelFile, null, engineOptions);
             LocalEngine engine = new LocalEngine(bundle, engineOptions);
             CairnServer server = new CairnServer(engine, ServerOptions.defaults().withPort(0)).start()) {
            String url = server.baseUrl();
            List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"),
                    "dev.cairn.cli.Main", "top", "--url", url);
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", ChatTerminalTest.shellQuoted(java), "/dev/null")
                    .directory(Files.createDirectories(tmp.resolve("work")).toFile()).redirectErrorStream(true);
            Process top = pb.start();
            ChatTerminalTest.Screen screen = new ChatTerminalTest.Screen(top);
            try (OutputStream keys = top.getOutputStream()) {
                screen.await("top's header", s -> s.contains("0 in flight"));

                String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "the stones on the hill ".repeat(60)
                        + "\"}],\"max_tokens\":60,\"temperature\":0,\"stream\":true}";
                HttpClient http = HttpClient.newHttpClient();
                CompletableFuture<HttpResponse<String>> other = http.sendAsync(HttpRequest.newBuilder(
                                URI.create(url + "/v1/chat/completions")).header("User-Agent", "another-client/1.0")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

                // the bar rises: three different counts of the same prompt, in increasing order
                screen.await("the prompt bar rising", s -> {
                    List<Integer> counts = barCounts(s);
                    return counts.stream().distinct().count() >= 3;
                });
                List<Integer> counts = barCounts(screen.toString());
                assertThat(counts).isSorted();
                assertThat(screen.toString()).contains("another-client/1.0").contains("/v1/chat/completions");

                // meanwhile cairn ps lists it
                StringWriter psOut = new StringWriter();
                CommandLine ps = new CommandLine(new Main());
                ps.setOut(new PrintWriter(psOut));
                assertThat(ps.execute("ps", "--url", url)).isZero();
                List<String> rows = psOut.toString().lines().toList();
                assertThat(rows.getFirst()).startsWith("ID").contains("PHASE").contains("PROMPT");
                assertThat(rows).hasSize(2);
                assertThat(rows.get(1)).startsWith("chatcmpl-").contains("/v1/chat/completions")
                        .contains("127.0.0.1").contains("another-client/1.0").containsPattern("(prefill|decode)");

                screen.await("decoding", s -> s.contains("Decoding: "));
                assertThat(other.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                screen.await("the request among the finished", s -> s.contains("Finished:")
                        && s.lastIndexOf("Done: ") > s.lastIndexOf("Finished:"));

                ChatTerminalTest.type(keys, "\u0003"); // Ctrl-C quits
                assertThat(top.waitFor(30, TimeUnit.SECONDS)).as("top quit on Ctrl-C:%n%s", screen).isTrue();
            } finally {
                top.destroyForcibly();
            }
            // nothing in flight any more
            StringWriter psOut = new StringWriter();
            CommandLine ps = new CommandLine(new Main());
            ps.setOut(new PrintWriter(psOut));
            assertThat(ps.execute("ps", "--url", url)).isZero();
            assertThat(psOut.toString()).isEqualTo("no requests in flight" + System.lineSeparator());
        }
    }

    @Test
    void psSaysWhenNoServerListens() {
        StringWriter err = new StringWriter();
        CommandLine ps = new CommandLine(new Main());
        ps.setErr(new PrintWriter(err));
        ps.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        assertThat(ps.execute("ps", "--url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach a cairn server at http://127.0.0.1:1");
    }

    private static List<Integer> barCounts(String screen) {
        Matcher m = PROMPT_BAR.matcher(screen);
        List<Integer> counts = new java.util.ArrayList<>();
        while (m.find()) {
            counts.add(Integer.parseInt(m.group(1)));
        }
        return counts;
    }
}

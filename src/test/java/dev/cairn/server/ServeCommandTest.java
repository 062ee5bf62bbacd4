package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** `cairn serve` as a real process: the banner's URLs work, and SIGTERM lets a running stream finish. */
class ServeCommandTest {
    @Test
    void serveAnswersAtTheAdvertisedUrlsAndStopsGracefullyOnSigterm() throws Exception {
        Path model = TestModels.largerFile();
        Path err = Files.createTempFile("cairn-serve", ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main", "serve", "--model", model.toString(),
                "--port", "0", "--alias", "served-model", "--prefill-chunk", "8", "--ctx-size", "2048", "--threads", "2",
                "--grace-s", "30");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> banner = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                banner.add(line);
                if (line.contains("Anthropic base URL:")) {
                    break;
                }
            }
            assertThat(banner).as("banner; stderr: " + Files.readString(err)).anyMatch(l -> l.contains("Dashboard:"));
            String openai = value(banner, "OpenAI base URL:");
            String anthropic = value(banner, "Anthropic base URL:");
            assertThat(openai).matches("http://127\\.0\\.0\\.1:\\d+/v1").isEqualTo(anthropic + "/v1");
            assertThat(value(banner, "Dashboard:")).isEqualTo(anthropic + "/");

            HttpClient http = HttpClient.newHttpClient();
            String health = http.send(HttpRequest.newBuilder(URI.create(anthropic + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(health).isEqualTo("{\"status\":\"ok\",\"model\":\"served-model\"}");

            // A long prompt streams; SIGTERM arrives mid-prefill; the request still finishes within the grace period.
            String prompt = "stone ".repeat(1200);
            HttpRequest req = HttpRequest.newBuilder(URI.create(openai + "/chat/completions")).POST(
                    HttpRequest.BodyPublishers.ofString("{\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"" + prompt + "\"}]}")).build();
            HttpResponse<Stream<String>> stream = http.send(req, HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            List<String> lines = new ArrayList<>();
            var it = stream.body().iterator();
            while (it.hasNext()) {
                String l = it.next();
                lines.add(l);
                if (l.startsWith(": prefill_progress")) {
                    break;
                }
            }
            p.destroy(); // SIGTERM
            try {
                it.forEachRemaining(lines::add);
            } catch (RuntimeException e) {
                p.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("stream cut after SIGTERM; lines " + lines.size() + ", last "
                        + lines.getLast() + "\nserver stderr:\n" + Files.readString(err), e);
            }
            assertThat(lines).contains("data: [DONE]");
            assertThat(lines).noneMatch(l -> l.contains("\"error\""));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("exit code of a graceful stop").isZero();
            String log = Files.readString(err);
            assertThat(log).contains("shutting down");
            assertThat(log).containsPattern("chatcmpl-\\S+ /v1/chat/completions prompt=\\d+ cached=0 generated=5 "
                    + "ttft_ms=\\d+ total_ms=\\d+ status=200");
            // the server's own lines only: no Jetty/Javalin start-up chatter around the banner
            assertThat(log).doesNotContain("io.javalin").doesNotContain("org.eclipse.jetty").doesNotContain("\\o/");
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    @Test
    void firstCtrlCStopsGracefullyAndASecondOneExits130AtOnce() throws Exception {
        Path err = Files.createTempFile("cairn-serve", ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main", "serve", "--model",
                TestModels.largerFile().toString(), "--port", "0", "--prefill-chunk", "4", "--ctx-size", "4096",
                "--threads", "1", "--grace-s", "600").redirectError(err.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> banner = new ArrayList<>();
            for (String line; (line = out.readLine()) != null && !line.contains("Anthropic base URL:"); ) {
                banner.add(line);
            }
            String openai = value(banner, "OpenAI base URL:");
            // A request that keeps the server busy far longer than the test: the graceful stop has to wait for it.
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest req = HttpRequest.newBuilder(URI.create(openai + "/chat/completions")).POST(
                    HttpRequest.BodyPublishers.ofString("{\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":"
                            + "\"user\",\"content\":\"" + "stone ".repeat(3500) + "\"}]}")).build();
            var it = http.send(req, HttpResponse.BodyHandlers.ofLines()).body().iterator();
            while (it.hasNext() && !it.next().startsWith(": prefill_progress")) {
                // until prefill runs
            }
            signal(p, "INT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(err).contains("shutting down") && System.nanoTime() < deadline) {
                assertThat(p.waitFor(20, TimeUnit.MILLISECONDS)).as("exited before the second Ctrl-C").isFalse();
            }
            assertThat(p.isAlive()).as("still finishing the running request after the first Ctrl-C").isTrue();
            signal(p, "INT");
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited after the second Ctrl-C").isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    private static void signal(Process p, String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    private static String value(List<String> banner, String label) {
        return banner.stream().filter(l -> l.contains(label)).map(l -> l.substring(l.indexOf(label) + label.length()).trim())
                .findFirst().orElseThrow();
    }
}

package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pull, models and chat as a user runs them: a separate JVM with its own HOME, working directory and environment
 * (which an in-process test cannot set), so the real lookup paths and the bundled-model fallback are exercised.
 */
class CliProcessTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    Result cairn(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + tmp.resolve("home"),
                "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Files.createDirectories(tmp.resolve("work")).toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cairn " + String.join(" ", args) + " finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void pullThenListThenChatWithThePulledModel() throws Exception {
        byte[] model;
        try (InputStream in = getClass().getResourceAsStream("/models/aidreams260K-q8_0-mixed.gguf")) {
            model = in.readAllBytes();
        }
        HttpServer hf = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hf.createContext("/tiny/dreams-GGUF/resolve/main/dreams-Q8_0.gguf", ex -> {
            try (ex) {
                ex.getResponseHeaders().add("Content-Length", Integer.toString(model.length));
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.sendResponseHeaders(200, -1);
                } else {
                    ex.sendResponseHeaders(200, model.length);
                    ex.getResponseBody().write(model);
                }
            } catch (IOException e) {
                throw e;
            }
        });
        hf.start();
        try {
            Map<String, String> env = Map.of("HF_ENDPOINT", "http://127.0.0.1:" + hf.getAddress().getPort(),
                    "LANG", "C.UTF-8");
            Result pull = cairn(env, "", "pull", "hf:tiny/dreams-GGUF/dreams-Q8_0.gguf");
            assertThat(pull.code()).as(pull.err()).isZero();
            // stderr is a file here: one plain final line, not a bar redrawn with carriage returns
            assertThat(pull.err()).containsPattern("(?m)^Download \\|#{20}\\| 295 KB / 295 KB  100%")
                    .doesNotContain("\r").doesNotContain("\u001b");
            Path saved = tmp.resolve("home/.cache/huggingface/hub/models--tiny--dreams-GGUF/snapshots/main/dreams-Q8_0.gguf");
            assertThat(pull.out()).contains("saved " + saved).contains("size verified");
            assertThat(Files.readAllBytes(saved)).isEqualTo(model);

            Result models = cairn(env, "", "models");
            assertThat(models.code()).isZero();
            assertThat(models.out().lines().toList()).hasSize(3); // header, the pulled model, the bundled demo
            assertThat(models.out()).containsPattern("aidreams260K-f32 +bundled +F32 +916 KB");
            assertThat(models.out()).containsPattern("tiny/dreams-GGUF:dreams-Q8_0\\.gguf +huggingface +Q8_0 +295 KB +" + saved);

            Result chat = cairn(env, "I dreamed of a", "chat", "--model", "tiny/dreams-GGUF", "-n", "5", "--temperature", "0");
            assertThat(chat.code()).as(chat.err()).isZero();
            assertThat(chat.out()).isNotBlank();
            assertThat(chat.err()).contains("[5 tokens");
        } finally {
            hf.stop(0);
        }
    }

    @Test
    void withNoModelAnywhereChatUsesTheBundledDemoModelAndSaysSo() throws Exception {
        Result r = cairn(Map.of(), "The machine", "chat", "-n", "4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("no model found; using the bundled 260K demo model")
                .contains(tmp.resolve("home/.cache/cairn/aidreams260K-f32.gguf").toString())
                .contains("--model");
        assertThat(r.out()).isNotBlank();
        assertThat(r.err()).doesNotContain("\r").doesNotContain("\u001b"); // stderr is a file: no bar

        Result models = cairn(Map.of(), "", "models");
        assertThat(models.out()).startsWith("No models found.").containsPattern("aidreams260K-f32 +bundled");
    }

    @Test
    void serveFindsAnOllamaModelByNameAndServesItUnderThatName() throws Exception {
        Path root = tmp.resolve("ollama");
        String hex = "ab".repeat(32);
        Path blob = Files.createDirectories(root.resolve("blobs")).resolve("sha256-" + hex);
        try (InputStream in = getClass().getResourceAsStream("/models/aidreams260K-f32.gguf")) {
            Files.copy(in, blob);
        }
        Path manifest = Files.createDirectories(root.resolve("manifests/registry.ollama.ai/library/dreams")).resolve("latest");
        Files.writeString(manifest, "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\","
                + "\"digest\":\"sha256:" + hex + "\",\"size\":" + Files.size(blob) + "}]}");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main",
                "serve", "--model", "dreams", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Files.createDirectories(tmp.resolve("work")).toFile())
                .redirectError(tmp.resolve("serve.err").toFile());
        pb.environment().clear();
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("OLLAMA_MODELS", root.toString());
        Process p = pb.start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            String base = null;
            for (String line; base == null && (line = out.readLine()) != null; ) {
                if (line.contains("Anthropic base URL:")) {
                    base = line.substring(line.indexOf("http"));
                }
            }
            assertThat(base).as(Files.readString(tmp.resolve("serve.err"))).isNotNull();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String models = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/models")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(models).contains("\"id\":\"dreams:latest\"");
            String page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("<script type=\"module\" src=\"app.js\"></script>");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}

package dev.cairn.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cairn pull` against a local stand-in for huggingface.co (HF_ENDPOINT), which can drop or lie on request. */
class HfPullTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    HttpServer server;
    byte[] content;
    String sha;
    volatile int cutAfter = -1;        // serve only this many bytes of the next full GET, then drop the connection
    volatile boolean sendHfHeaders = true;
    volatile boolean redirect = false;
    volatile long lieAboutSize = -1;
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        content = new byte[300_000];
        new Random(7).nextBytes(content);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        log.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
        if (path.equals("/org/repo/resolve/main/sub/model-Q8_0.gguf") && redirect) {
            ex.getResponseHeaders().add("Location", "/cdn/blob");
            if (sendHfHeaders) {
                addHfHeaders(ex);
            }
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        if (!path.equals("/org/repo/resolve/main/sub/model-Q8_0.gguf") && !path.equals("/cdn/blob")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        long size = lieAboutSize > 0 ? lieAboutSize : content.length;
        if (sendHfHeaders && !redirect) {
            addHfHeaders(ex);
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", Long.toString(size));
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return;
        }
        int from = 0;
        if (range != null) {
            from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            ex.sendResponseHeaders(206, content.length - from);
        } else {
            ex.sendResponseHeaders(200, content.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            int end = content.length;
            if (cutAfter >= 0 && range == null) {
                end = cutAfter;
                cutAfter = -1;
                out.write(content, from, end - from);
                out.flush();
                ex.getHttpContext().getServer(); // keep the compiler quiet about the unused exchange
                throw new IOException("simulated network drop"); // the server closes the connection mid-body
            }
            out.write(content, from, end - from);
        }
    }

    private void addHfHeaders(HttpExchange ex) {
        ex.getResponseHeaders().add("X-Repo-Commit", COMMIT);
        ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
        ex.getResponseHeaders().add("X-Linked-Size", Long.toString(lieAboutSize > 0 ? lieAboutSize : content.length));
    }

    ModelLocations locations() {
        return new ModelLocations(Map.of("HF_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "HF_HUB_CACHE", tmp.resolve("hub").toString()), tmp.resolve("home"), tmp);
    }

    HfPull.Spec spec() {
        return HfPull.Spec.parse("hf:org/repo/sub/model-Q8_0.gguf");
    }

    @Test
    void downloadsIntoTheHuggingFaceCacheLayoutWhereTheLocatorFindsIt() throws Exception {
        List<long[]> updates = new ArrayList<>();
        HfPull.Result r = new HfPull(locations()).pull(spec(), (d, t) -> updates.add(new long[] {d, t}));

        Path repo = tmp.resolve("hub/models--org--repo");
        assertThat(r.file()).isEqualTo(repo.resolve("snapshots/" + COMMIT + "/sub/model-Q8_0.gguf"));
        assertThat(Files.isSymbolicLink(r.file())).isTrue();
        assertThat(Files.readSymbolicLink(r.file()).toString()).isEqualTo("../../../blobs/" + sha);
        assertThat(Files.readAllBytes(repo.resolve("blobs/" + sha))).isEqualTo(content);
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        assertThat(r.sizeBytes()).isEqualTo(content.length);
        assertThat(updates.getLast()).containsExactly(content.length, content.length);
        assertThat(updates).allSatisfy(u -> assertThat(u[1]).isEqualTo(content.length));
        assertThat(log).contains("HEAD /org/repo/resolve/main/sub/model-Q8_0.gguf", "GET /org/repo/resolve/main/sub/model-Q8_0.gguf");

        ModelLocator locator = new ModelLocator(locations(), s -> { });
        assertThat(locator.resolve("org/repo")).isEqualTo(r.file());
        assertThat(locator.resolve("hf:org/repo/sub/model-Q8_0.gguf")).isEqualTo(r.file());

        log.clear();
        HfPull.Result again = new HfPull(locations()).pull(spec(), (d, t) -> { });
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(log).noneMatch(l -> l.startsWith("GET"));
    }

    @Test
    void aDroppedDownloadResumesWithARangeRequest() throws Exception {
        cutAfter = 100_000;
        HfPull pull = new HfPull(locations());
        assertThatThrownBy(() -> pull.pull(spec(), (d, t) -> { })).isInstanceOf(IOException.class);
        Path partial = tmp.resolve("hub/models--org--repo/blobs/" + sha + ".incomplete");
        long kept = Files.size(partial);
        assertThat(kept).isPositive().isLessThan(content.length);

        log.clear();
        HfPull.Result r = pull.pull(spec(), (d, t) -> { });
        assertThat(r.resumedFrom()).isEqualTo(kept);
        assertThat(log).contains("GET /org/repo/resolve/main/sub/model-Q8_0.gguf bytes=" + kept + "-");
        assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
        assertThat(partial).doesNotExist();
    }

    @Test
    void followsTheRedirectToTheCdnAndWorksWithoutHfHeaders() throws Exception {
        redirect = true;
        HfPull.Result r = new HfPull(locations()).pull(spec(), (d, t) -> { });
        assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
        assertThat(log).contains("GET /cdn/blob");

        // a plain file server: no commit, no etag; the blob is named by its computed sha256 and the snapshot is "main"
        Path hub = tmp.resolve("hub");
        redirect = false;
        sendHfHeaders = false;
        ModelLocations other = new ModelLocations(Map.of("HF_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort(),
                "HF_HUB_CACHE", tmp.resolve("hub2").toString()), tmp, tmp);
        HfPull.Result plain = new HfPull(other).pull(spec(), (d, t) -> { });
        assertThat(plain.file()).isEqualTo(tmp.resolve("hub2/models--org--repo/snapshots/main/sub/model-Q8_0.gguf"));
        assertThat(tmp.resolve("hub2/models--org--repo/blobs/" + sha)).exists();
        assertThat(hub).exists();
    }

    @Test
    void aSizeMismatchIsAnErrorThatKeepsThePartialForResume() {
        lieAboutSize = content.length + 1000L;
        sendHfHeaders = false;
        assertThatThrownBy(() -> new HfPull(locations()).pull(spec(), (d, t) -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stopped at " + content.length + " of " + (content.length + 1000) + " bytes");
    }

    @Test
    void aMissingFileAndABadSpecGetClearErrors() {
        assertThatThrownBy(() -> new HfPull(locations()).pull(HfPull.Spec.parse("hf:org/repo/nope.gguf"), (d, t) -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/org/repo/resolve/main/nope.gguf")
                .hasMessageContaining("not found");
        ModelLocations nowhere = new ModelLocations(Map.of("HF_ENDPOINT", "http://127.0.0.1:1",
                "HF_HUB_CACHE", tmp.resolve("hub").toString()), tmp, tmp);
        assertThatThrownBy(() -> new HfPull(nowhere).pull(spec(), (d, t) -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach http://127.0.0.1:1 (")
                .hasMessageContaining("HF_ENDPOINT");
        assertThatThrownBy(() -> HfPull.Spec.parse("org/repo/file.gguf")).hasMessageContaining("hf:ORG/REPO/FILE.gguf");
        assertThatThrownBy(() -> HfPull.Spec.parse("hf:org/repo")).hasMessageContaining("expected hf:ORG/REPO/FILE.gguf");
        assertThatThrownBy(() -> HfPull.Spec.parse("hf:org/repo/../x.gguf")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.cairn.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one GGUF from Hugging Face into the hub cache layout that huggingface_hub itself uses, so other tools
 * (and {@link ModelLocator}) find it: models--ORG--REPO/blobs/SHA256, snapshots/REV/FILE → ../../blobs/SHA256, and
 * refs/main = REV. A partial download is kept as blobs/KEY.incomplete and resumed with a Range request.
 */
public final class HfPull {
    /** Download progress: bytes so far (including resumed ones), total (-1 when unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    /** What `cairn pull` was asked for: hf:ORG/REPO/PATH/IN/REPO.gguf. */
    public record Spec(String org, String repo, String file) {
        private static final Pattern FORM = Pattern.compile("hf:([\\w.\\-]+)/([\\w.\\-]+)/(.+\\.gguf)", Pattern.CASE_INSENSITIVE);

        public static Spec parse(String s) {
            Matcher m = FORM.matcher(s == null ? "" : s.strip());
            if (!m.matches() || m.group(3).contains("..") || m.group(3).startsWith("/")) {
                throw new IllegalArgumentException("expected hf:ORG/REPO/FILE.gguf (e.g. "
                        + "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf), got '" + s + "'");
            }
            return new Spec(m.group(1), m.group(2), m.group(3));
        }

        public String repoId() {
            return org + "/" + repo;
        }
    }

    /** Where the file ended up and whether it had to be downloaded. */
    public record Result(Path file, long sizeBytes, boolean alreadyPresent, long resumedFrom) {
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final ModelLocations locations;
    private final HttpClient http;

    public HfPull(ModelLocations locations) {
        this.locations = locations;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL) // resolve/ answers with a redirect to the CDN
                .build();
    }

    public URI url(Spec spec) {
        StringBuilder path = new StringBuilder();
        for (String part : spec.file().split("/")) {
            path.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(locations.huggingFaceEndpoint() + "/" + spec.org() + "/" + spec.repo() + "/resolve/main" + path);
    }

    public Result pull(Spec spec, Progress progress) throws IOException, InterruptedException {
        try {
            return pullOnce(spec, progress);
        } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
            throw new IOException("cannot reach " + locations.huggingFaceEndpoint() + " ("
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + "); check the network, or set HF_ENDPOINT to a mirror", e);
        }
    }

    private Result pullOnce(Spec spec, Progress progress) throws IOException, InterruptedException {
        URI url = url(spec);
        Path repoDir = locations.huggingFaceHub().resolve("models--" + spec.org() + "--" + spec.repo());
        Remote remote = head(url);

        String revision = remote.commit != null ? remote.commit : "main";
        Path snapshotFile = repoDir.resolve("snapshots").resolve(revision).resolve(spec.file());
        if (remote.size > 0 && Files.isRegularFile(snapshotFile) && Files.size(snapshotFile) == remote.size) {
            writeRef(repoDir, revision);
            return new Result(snapshotFile, remote.size, true, 0);
        }

        Path blobs = repoDir.resolve("blobs");
        Files.createDirectories(blobs);
        String key = remote.sha256 != null ? remote.sha256 : "pull-" + sha256Hex(url.toString());
        Path partial = blobs.resolve(key + ".incomplete");
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (remote.size > 0 && have > remote.size) {
            Files.delete(partial); // not the file we are downloading now
            have = 0;
        }
        long resumedFrom = have;
        long total = remote.size;
        if (total <= 0 || have < total) {
            long announced = download(url, partial, have, progress);
            total = total > 0 ? total : announced; // the first answer's size is the one to verify against
        }
        long got = Files.size(partial);
        if (total > 0 && got != total) {
            throw new IOException("download of " + url + " stopped at " + got + " of " + total
                    + " bytes; run the same command again to resume");
        }
        progress.update(got, got);

        String digest = sha256Hex(partial);
        if (remote.sha256 != null && !remote.sha256.equals(digest)) {
            Files.delete(partial);
            throw new IOException("download of " + url + " is corrupt: sha256 " + digest + ", expected " + remote.sha256
                    + " (the partial file was deleted; run again)");
        }
        Path blob = blobs.resolve(digest);
        Files.move(partial, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        link(snapshotFile, blob);
        writeRef(repoDir, revision);
        return new Result(snapshotFile, got, false, resumedFrom);
    }

    private record Remote(long size, String sha256, String commit) {
    }

    /** Size, LFS sha256 and commit from the endpoint's first answer (before its redirect hides them). */
    private Remote head(URI url) throws IOException, InterruptedException {
        HttpClient noRedirect = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<Void> r = noRedirect.send(request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        failOnStatus(url, r.statusCode());
        long size = header(r, "x-linked-size").map(Long::parseLong)
                .orElse(r.statusCode() / 100 == 2 ? r.headers().firstValueAsLong("content-length").orElse(-1) : -1);
        String etag = header(r, "x-linked-etag").or(() -> header(r, "etag")).map(HfPull::cleanEtag).orElse(null);
        String commit = header(r, "x-repo-commit").filter(c -> COMMIT.matcher(c).matches()).orElse(null);
        if (size <= 0 && r.statusCode() / 100 == 3) {
            // a redirect without X-Linked-Size: ask where it points
            HttpResponse<Void> f = http.send(request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            failOnStatus(url, f.statusCode());
            size = f.headers().firstValueAsLong("content-length").orElse(-1);
        }
        return new Remote(size, etag != null && SHA256.matcher(etag).matches() ? etag : null, commit);
    }

    /** Appends to {@code partial} from byte {@code have}; returns the total size the server announced (-1 if none). */
    private long download(URI url, Path partial, long have, Progress progress) throws IOException, InterruptedException {
        HttpRequest.Builder req = request(url).GET();
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            long total;
            boolean append;
            if (r.statusCode() == 206) {
                Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("content-range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new IOException(url + ": the server answered the resume request with an unexpected range '"
                            + r.headers().firstValue("content-range").orElse("") + "'");
                }
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                append = true;
            } else if (r.statusCode() == 416 && have > 0) {
                return have; // "range not satisfiable": we already have every byte
            } else {
                failOnStatus(url, r.statusCode());
                total = r.headers().firstValueAsLong("content-length").orElse(-1);
                append = false; // the server ignored Range: start over
                have = 0;
            }
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                long done = have;
                progress.update(done, total);
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    done += n;
                    progress.update(done, total);
                }
            }
            return total;
        }
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).header("User-Agent", "cairn/0.1");
        String token = locations.huggingFaceToken();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private void failOnStatus(URI url, int status) throws IOException {
        if (status / 100 == 2 || status / 100 == 3) {
            return;
        }
        String why = switch (status) {
            case 401, 403 -> "access denied: the repo is gated or private (accept its terms on the website and set HF_TOKEN)";
            case 404 -> "not found: check the organisation, repo and file name (they are case-sensitive)";
            default -> "the server answered HTTP " + status;
        };
        throw new IOException(url + ": " + why);
    }

    private static Optional<String> header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static String cleanEtag(String etag) {
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    /** snapshots/REV/FILE → ../../blobs/SHA (relative, as huggingface_hub makes it); a copy where links are refused. */
    private static void link(Path snapshotFile, Path blob) throws IOException {
        Files.createDirectories(snapshotFile.getParent());
        Files.deleteIfExists(snapshotFile);
        try {
            Files.createSymbolicLink(snapshotFile, snapshotFile.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, snapshotFile);
        }
    }

    private static void writeRef(Path repoDir, String revision) throws IOException {
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs").resolve("main"), revision);
    }

    private static String sha256Hex(String s) {
        return HexFormat.of().formatHex(digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256Hex(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.cairn.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Finds GGUF files in each store's own layout. Missing folders are simply empty; unreadable entries are skipped. */
final class ModelScanner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model";

    private ModelScanner() {
    }

    /** Any folder of GGUF files (./models, $CAIRN_MODELS): name = path inside the folder without ".gguf". */
    static List<ModelEntry> plainFolder(Path dir, ModelSource source) {
        List<ModelEntry> out = new ArrayList<>();
        for (Path f : ggufFiles(dir, 4)) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            String name = stripGguf(rel);
            Set<String> aliases = new LinkedHashSet<>(List.of(rel, f.getFileName().toString(),
                    stripGguf(f.getFileName().toString())));
            out.add(entry(name, source, f, aliases));
        }
        return out;
    }

    /**
     * Hugging Face hub cache: models--ORG--REPO/snapshots/REV/FILE. Name ORG/REPO:FILE; ORG/REPO alone selects the
     * repo's only GGUF. When a file is in several snapshots, the one refs/main points to wins.
     */
    static List<ModelEntry> huggingFace(Path hub) {
        List<ModelEntry> out = new ArrayList<>();
        for (Path repoDir : children(hub)) {
            String dirName = repoDir.getFileName().toString();
            if (!dirName.startsWith("models--") || !Files.isDirectory(repoDir.resolve("snapshots"))) {
                continue;
            }
            String repo = dirName.substring("models--".length()).replace("--", "/");
            String mainRev = readRef(repoDir.resolve("refs").resolve("main"));
            List<Path> snapshots = new ArrayList<>(children(repoDir.resolve("snapshots")));
            // refs/main's snapshot first, then newest first, so the first sighting of a file is the one to keep
            snapshots.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().equals(mainRev))
                    .thenComparing(ModelScanner::mtime, Comparator.reverseOrder()));
            Set<String> seen = new LinkedHashSet<>();
            for (Path snap : snapshots) {
                for (Path f : ggufFiles(snap, 3)) {
                    String file = snap.relativize(f).toString().replace('\\', '/');
                    if (!seen.add(file)) {
                        continue;
                    }
                    Set<String> aliases = new LinkedHashSet<>(List.of(repo, repo + ":" + stripGguf(file),
                            "hf:" + repo + "/" + file, "hf.co/" + repo + ":" + stripGguf(file)));
                    out.add(entry(repo + ":" + file, ModelSource.HUGGING_FACE, f, aliases));
                }
            }
        }
        return out;
    }

    /**
     * Ollama: manifests/REGISTRY/NAMESPACE/NAME/TAG (JSON) whose model layer names blobs/sha256-HEX, a GGUF file.
     * Name NAME:TAG for the default library, NAMESPACE/NAME:TAG or REGISTRY/NAMESPACE/NAME:TAG otherwise; NAME
     * alone means NAME:latest, as in Ollama.
     */
    static List<ModelEntry> ollama(Path root) {
        List<ModelEntry> out = new ArrayList<>();
        Path manifests = root.resolve("manifests");
        if (!Files.isDirectory(manifests)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(manifests, 4)) {
            files = s.filter(p -> manifests.relativize(p).getNameCount() == 4 && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return out;
        }
        for (Path manifest : files) {
            Path rel = manifests.relativize(manifest);
            String registry = rel.getName(0).toString();
            String namespace = rel.getName(1).toString();
            String model = rel.getName(2).toString();
            String tag = rel.getName(3).toString();
            Path blob = ollamaModelBlob(root, manifest);
            if (blob == null) {
                continue;
            }
            String base = registry.equals("registry.ollama.ai")
                    ? (namespace.equals("library") ? model : namespace + "/" + model)
                    : registry + "/" + namespace + "/" + model;
            Set<String> aliases = new LinkedHashSet<>();
            if (tag.equals("latest")) {
                aliases.add(base);
            }
            aliases.add(registry + "/" + namespace + "/" + model + ":" + tag);
            ModelEntry e = entry(base + ":" + tag, ModelSource.OLLAMA, blob, aliases);
            // Ollama blobs have no file name to read the quantization from; its tag often says it, else the header
            String q = Quantization.fromName(tag);
            out.add(q == null ? e : new ModelEntry(e.name(), e.source(), q, e.sizeBytes(), e.path(), e.aliases()));
        }
        return out;
    }

    private static Path ollamaModelBlob(Path root, Path manifest) {
        try {
            JsonNode layers = JSON.readTree(manifest.toFile()).path("layers");
            for (JsonNode layer : layers) {
                if (OLLAMA_MODEL_LAYER.equals(layer.path("mediaType").asText())) {
                    String digest = layer.path("digest").asText("");
                    if (!digest.matches("sha256[:-][0-9a-fA-F]{64}")) {
                        return null;
                    }
                    Path blob = root.resolve("blobs").resolve("sha256-" + digest.substring(7));
                    return Files.isRegularFile(blob) ? blob : null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a manifest we cannot read is not a model we can run
        }
        return null;
    }

    /** LM Studio: ROOT/PUBLISHER/REPO/FILE.gguf. Name PUBLISHER/REPO:FILE; PUBLISHER/REPO alone selects a lone file. */
    static List<ModelEntry> lmStudio(Path root) {
        List<ModelEntry> out = new ArrayList<>();
        for (Path f : ggufFiles(root, 4)) {
            Path rel = root.relativize(f);
            if (rel.getNameCount() < 3) {
                continue;
            }
            String repo = rel.getName(0) + "/" + rel.getName(1);
            String file = rel.subpath(2, rel.getNameCount()).toString().replace('\\', '/');
            if (file.toLowerCase(Locale.ROOT).startsWith("mmproj")) {
                continue; // vision projectors sit next to the model; they are not models
            }
            Set<String> aliases = new LinkedHashSet<>(List.of(repo, repo + ":" + stripGguf(file)));
            out.add(entry(repo + ":" + file, ModelSource.LM_STUDIO, f, aliases));
        }
        return out;
    }

    private static ModelEntry entry(String name, ModelSource source, Path file, Set<String> aliases) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        aliases.remove(name);
        return new ModelEntry(name, source, Quantization.of(file, file.getFileName().toString()), size, file, aliases);
    }

    static List<Path> ggufFiles(Path dir, int depth) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, depth, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String readRef(Path ref) {
        try {
            return Files.readString(ref).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    static String stripGguf(String s) {
        return s.toLowerCase(Locale.ROOT).endsWith(".gguf") ? s.substring(0, s.length() - 5) : s;
    }
}

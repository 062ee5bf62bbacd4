package dev.cairn.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns what the user typed after --model (a path, a name, or nothing) into a GGUF file, looking where people keep
 * models: ./models, $CAIRN_MODELS, the Hugging Face cache, Ollama's store and LM Studio's folders.
 */
public final class ModelLocator {
    private final ModelLocations locations;
    private final Consumer<String> notices;

    /** @param notices receives messages for the user (e.g. that the bundled demo model is used) */
    public ModelLocator(ModelLocations locations, Consumer<String> notices) {
        this.locations = locations;
        this.notices = notices;
    }

    /** Reads the real environment and prints notices to stderr. */
    public static ModelLocator system() {
        return new ModelLocator(ModelLocations.system(), System.err::println);
    }

    public ModelLocations locations() {
        return locations;
    }

    /** Every model found, in search order, then by name. */
    public List<ModelEntry> list() {
        List<ModelEntry> all = new ArrayList<>();
        all.addAll(ModelScanner.plainFolder(locations.localModels(), ModelSource.LOCAL));
        Path cairnModels = locations.cairnModels();
        if (cairnModels != null && !sameDir(cairnModels, locations.localModels())) {
            all.addAll(ModelScanner.plainFolder(cairnModels, ModelSource.CAIRN_MODELS));
        }
        all.addAll(ModelScanner.huggingFace(locations.huggingFaceHub()));
        all.addAll(ModelScanner.ollama(locations.ollamaModels()));
        for (Path lm : locations.lmStudioModels()) {
            all.addAll(ModelScanner.lmStudio(lm));
        }
        return all;
    }

    /**
     * {@link #list()} plus what is always there to run by name: the random-weight models `bench --synthetic` wrote and
     * the bundled demo model (at the path it is extracted to on first use).
     */
    public List<ModelEntry> listAll() {
        List<ModelEntry> all = new ArrayList<>(list());
        all.addAll(ModelScanner.plainFolder(locations.syntheticModels(), ModelSource.SYNTHETIC));
        Path bundled = locations.cairnCache().resolve(BundledModel.FILE_NAME);
        all.add(new ModelEntry(ModelScanner.stripGguf(BundledModel.FILE_NAME), ModelSource.BUNDLED, "F32",
                BundledModel.SIZE_BYTES, bundled, Set.of()));
        return all;
    }

    /** The file to load; see {@link #locate(String)}. */
    public Path resolve(String nameOrPathOrNull) {
        return locate(nameOrPathOrNull).path();
    }

    /**
     * A path to a GGUF file, a model name (exact name first, then aliases such as ORG/REPO or NAME for NAME:latest),
     * or null/blank: then the first store with models gives its smallest one, and with none at all the bundled demo
     * model is used. Both fallbacks are announced through the notices.
     *
     * @throws ModelNotFoundException when nothing matches (listing where it looked) or several files do (listing them)
     */
    public ModelEntry locate(String nameOrPathOrNull) {
        if (nameOrPathOrNull == null || nameOrPathOrNull.isBlank()) {
            return defaultModel();
        }
        String query = nameOrPathOrNull.strip();
        Path asPath = asPath(query);
        if (asPath != null && Files.isRegularFile(asPath)) {
            return pathEntry(asPath);
        }
        if (asPath != null && Files.isDirectory(asPath)) {
            throw new ModelNotFoundException(query + " is a folder; give a .gguf file in it (e.g. "
                    + ModelScanner.ggufFiles(asPath, 3).stream().findFirst().map(Path::toString).orElse("FILE.gguf") + ")");
        }
        List<ModelEntry> all = listAll();
        String q = query.toLowerCase(Locale.ROOT);
        List<ModelEntry> exact = distinctFiles(all.stream().filter(e -> e.name().toLowerCase(Locale.ROOT).equals(q)).toList());
        List<ModelEntry> matches = !exact.isEmpty() ? exact
                : distinctFiles(all.stream().filter(e -> matchesAlias(e, q)).toList());
        if (matches.size() == 1) {
            ModelEntry m = matches.getFirst();
            return m.source() == ModelSource.BUNDLED ? bundledEntry() : m;
        }
        if (matches.size() > 1) {
            // names can repeat across places (the same file name in ./models and $CAIRN_MODELS): the path always works
            boolean sameNames = matches.stream().map(ModelEntry::name).distinct().count() < matches.size();
            throw new ModelNotFoundException("'" + query + "' matches " + matches.size() + " models; "
                    + (sameNames ? "give the path of the one you mean:\n" : "name one of them (or give its path):\n")
                    + matches.stream().map(e -> "  " + e.name() + "  (" + e.source().label() + ", " + e.path() + ")")
                    .collect(Collectors.joining("\n")));
        }
        if (asPath != null && query.toLowerCase(Locale.ROOT).endsWith(".gguf") && !query.contains(":")) {
            // A path to a file that is not there: say that alone, not also "no model named" with the stores' listing.
            throw new ModelNotFoundException("no such file: " + asPath + " (give the path of an existing .gguf file,"
                    + " or a name from `cairn models`)");
        }
        List<String> near = NearNames.of(q, all.stream().map(ModelEntry::name).distinct().toList());
        String didYouMean = near.isEmpty() ? "" : " Did you mean " + String.join(", ", near.stream()
                .map(n -> "'" + n + "'").toList()) + "?";
        throw new ModelNotFoundException("no model named '" + query + "'." + didYouMean + " Looked in:\n" + searchedPlaces()
                + "\nRun `cairn models` to see what is there, `cairn pull hf:ORG/REPO/FILE.gguf` to download one,"
                + " or give a path to a .gguf file.");
    }

    private ModelEntry defaultModel() {
        List<ModelEntry> all = list();
        if (all.isEmpty()) {
            ModelEntry bundled = bundledEntry();
            notices.accept("no model found; using the bundled 260K demo model (" + bundled.path() + "; 128-token context,"
                    + " for trying cairn out). Run with --model to use a real GGUF (a path, or a name from `cairn models`).");
            return bundled;
        }
        ModelSource first = all.getFirst().source();
        ModelEntry pick = all.stream().filter(e -> e.source() == first)
                .min(Comparator.comparingLong(ModelEntry::sizeBytes)).orElseThrow();
        if (all.size() > 1) {
            notices.accept("no --model given; using " + pick.name() + " (" + first.label() + ", " + pick.path() + "), the"
                    + " smallest in " + first.label() + " of " + all.size() + " models found (`cairn models` lists them).");
        }
        return pick;
    }

    private ModelEntry bundledEntry() {
        Path bundled = BundledModel.extract(locations.cairnCache());
        return new ModelEntry(ModelScanner.stripGguf(BundledModel.FILE_NAME), ModelSource.BUNDLED, "F32", size(bundled),
                bundled, Set.of());
    }

    private static boolean matchesAlias(ModelEntry e, String q) {
        for (String a : e.aliases()) {
            if (a.toLowerCase(Locale.ROOT).equals(q)) {
                return true;
            }
        }
        return false;
    }

    /** One entry per real file: the same blob may be reachable through several snapshots or stores. */
    private static List<ModelEntry> distinctFiles(List<ModelEntry> entries) {
        Map<Path, ModelEntry> byFile = new LinkedHashMap<>();
        for (ModelEntry e : entries) {
            byFile.putIfAbsent(realPath(e.path()), e);
        }
        return List.copyOf(byFile.values());
    }

    private String searchedPlaces() {
        StringBuilder sb = new StringBuilder();
        sb.append("  ./models: ").append(locations.localModels()).append('\n');
        Path cm = locations.cairnModels();
        sb.append("  $CAIRN_MODELS: ").append(cm == null ? "(not set)" : cm.toString()).append('\n');
        sb.append("  Hugging Face cache: ").append(locations.huggingFaceHub()).append(" (names ORG/REPO or ORG/REPO:FILE)\n");
        sb.append("  Ollama: ").append(locations.ollamaModels()).append(" (names NAME:TAG)\n");
        sb.append("  LM Studio: ").append(String.join(", ",
                java.util.Arrays.stream(locations.lmStudioModels()).map(Path::toString).toList()));
        return sb.toString();
    }

    private Path asPath(String query) {
        try {
            Path p = query.startsWith("~/") ? locations.home().resolve(query.substring(2)) : Path.of(query);
            return p.isAbsolute() ? p : locations.workingDir().resolve(p);
        } catch (RuntimeException e) {
            return null; // not a valid path on this OS (e.g. contains ':' on Windows): only a name
        }
    }

    private static ModelEntry pathEntry(Path file) {
        String name = file.getFileName().toString();
        return new ModelEntry(ModelScanner.stripGguf(name), ModelSource.PATH, Quantization.of(file, name), size(file),
                file, Set.of());
    }

    private static boolean sameDir(Path a, Path b) {
        return realPath(a).equals(realPath(b));
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}

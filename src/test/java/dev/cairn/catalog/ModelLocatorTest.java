package dev.cairn.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    @TempDir
    Path tmp;

    Path home;
    Path cwd;
    Map<String, String> env;
    List<String> notices;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        cwd = Files.createDirectories(tmp.resolve("work"));
        env = new HashMap<>();
        notices = new ArrayList<>();
    }

    ModelLocator locator() {
        return new ModelLocator(new ModelLocations(env, home, cwd), notices::add);
    }

    static Path file(Path p, int size) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[size]);
    }

    static Path realModel(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        try (InputStream in = ModelLocatorTest.class.getResourceAsStream("/models/aidreams260K-f32.gguf")) {
            Files.copy(in, p);
        }
        return p;
    }

    /** huggingface_hub's layout: the snapshot file is a relative symlink into blobs/. */
    Path hfFile(Path hub, String repo, String rev, String file, int size) throws IOException {
        Path repoDir = hub.resolve("models--" + repo.replace("/", "--"));
        Path blob = file(repoDir.resolve("blobs").resolve(Integer.toHexString((repo + rev + file).hashCode())), size);
        Path snap = repoDir.resolve("snapshots").resolve(rev).resolve(file);
        Files.createDirectories(snap.getParent());
        Files.createSymbolicLink(snap, snap.getParent().relativize(blob));
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs").resolve("main"), rev);
        return snap;
    }

    Path ollamaModel(Path root, String registry, String ns, String name, String tag, Path blobContent) throws IOException {
        String hex = String.format("%064x", Math.abs((long) (name + tag).hashCode()));
        Path blob = root.resolve("blobs").resolve("sha256-" + hex);
        Files.createDirectories(blob.getParent());
        Files.copy(blobContent, blob);
        Path manifest = root.resolve("manifests").resolve(registry).resolve(ns).resolve(name).resolve(tag);
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":10},
                 "layers":[
                   {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:%s","size":5},
                   {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%d}]}
                """.formatted("1".repeat(64), "2".repeat(64), hex, Files.size(blobContent)));
        return blob;
    }

    @Test
    void aPathToAGgufFileIsUsedAsIs() throws IOException {
        Path f = realModel(tmp.resolve("elsewhere/my-model.gguf"));
        ModelEntry e = locator().locate(f.toString());
        assertThat(e.path()).isEqualTo(f);
        assertThat(e.source()).isEqualTo(ModelSource.PATH);
        assertThat(e.quantization()).isEqualTo("F32"); // from general.file_type, the name does not say
        assertThat(e.modelId()).isEqualTo("my-model");
        // relative paths are relative to the working directory
        realModel(cwd.resolve("rel/x.gguf"));
        assertThat(locator().resolve("rel/x.gguf")).isEqualTo(cwd.resolve("rel/x.gguf"));
    }

    @Test
    void findsModelsInEveryStoreWithTheirNames() throws IOException {
        file(cwd.resolve("models/tiny-Q8_0.gguf"), 100);
        env.put("CAIRN_MODELS", tmp.resolve("cm").toString());
        file(tmp.resolve("cm/sub/phi-3-mini-q4_k_m.gguf"), 200);
        Path hub = tmp.resolve("hub");
        env.put("HF_HUB_CACHE", hub.toString());
        Path hfSnap = hfFile(hub, "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "a".repeat(40), "qwen2.5-0.5b-instruct-q4_k_m.gguf", 300);
        Path ollamaRoot = home.resolve(".ollama/models");
        Path blob = ollamaModel(ollamaRoot, "registry.ollama.ai", "library", "llama3.2", "1b",
                realModel(tmp.resolve("src.gguf")));
        file(home.resolve(".lmstudio/models/lmstudio-community/gemma-2-2b-it-GGUF/gemma-2-2b-it-Q6_K.gguf"), 400);
        file(home.resolve(".lmstudio/models/lmstudio-community/gemma-2-2b-it-GGUF/mmproj-model-f16.gguf"), 10);
        file(home.resolve(".cache/lm-studio/models/TheBloke/old-GGUF/old.Q5_K_S.gguf"), 500);

        List<ModelEntry> all = locator().list();
        assertThat(all).extracting(ModelEntry::name).containsExactly(
                "tiny-Q8_0", "sub/phi-3-mini-q4_k_m",
                "Qwen/Qwen2.5-0.5B-Instruct-GGUF:qwen2.5-0.5b-instruct-q4_k_m.gguf",
                "llama3.2:1b",
                "lmstudio-community/gemma-2-2b-it-GGUF:gemma-2-2b-it-Q6_K.gguf",
                "TheBloke/old-GGUF:old.Q5_K_S.gguf");
        assertThat(all).extracting(ModelEntry::source).containsExactly(ModelSource.LOCAL, ModelSource.CAIRN_MODELS,
                ModelSource.HUGGING_FACE, ModelSource.OLLAMA, ModelSource.LM_STUDIO, ModelSource.LM_STUDIO);
        assertThat(all).extracting(ModelEntry::quantization).containsExactly("Q8_0", "Q4_K_M", "Q4_K_M", "F32", "Q6_K", "Q5_K_S");
        assertThat(all).extracting(ModelEntry::sizeBytes).containsExactly(100L, 200L, 300L, Files.size(blob), 400L, 500L);

        ModelLocator loc = locator();
        assertThat(loc.resolve("tiny-Q8_0")).isEqualTo(cwd.resolve("models/tiny-Q8_0.gguf"));
        assertThat(loc.resolve("phi-3-mini-q4_k_m.gguf")).isEqualTo(tmp.resolve("cm/sub/phi-3-mini-q4_k_m.gguf"));
        assertThat(loc.resolve("Qwen/Qwen2.5-0.5B-Instruct-GGUF")).isEqualTo(hfSnap);
        assertThat(loc.resolve("Qwen/Qwen2.5-0.5B-Instruct-GGUF:qwen2.5-0.5b-instruct-q4_k_m")).isEqualTo(hfSnap);
        assertThat(loc.resolve("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf")).isEqualTo(hfSnap);
        ModelEntry ollama = loc.locate("llama3.2:1b");
        assertThat(ollama.path()).isEqualTo(blob);
        assertThat(ollama.modelId()).isEqualTo("llama3.2:1b");
        assertThat(loc.resolve("lmstudio-community/gemma-2-2b-it-GGUF"))
                .isEqualTo(home.resolve(".lmstudio/models/lmstudio-community/gemma-2-2b-it-GGUF/gemma-2-2b-it-Q6_K.gguf"));
        assertThat(loc.resolve("TheBloke/old-GGUF:old.Q5_K_S")).endsWithRaw(Path.of("old.Q5_K_S.gguf"));
    }

    @Test
    void huggingFaceHomeAndDefaultCacheAreSearched() throws IOException {
        env.put("HF_HOME", tmp.resolve("hfhome").toString());
        Path a = hfFile(tmp.resolve("hfhome/hub"), "org/a", "b".repeat(40), "a-f16.gguf", 10);
        assertThat(locator().resolve("org/a")).isEqualTo(a);
        env.clear();
        Path b = hfFile(home.resolve(".cache/huggingface/hub"), "org/b", "c".repeat(40), "nested/b-Q4_0.gguf", 10);
        assertThat(locator().resolve("org/b:nested/b-Q4_0.gguf")).isEqualTo(b);
        assertThat(locator().list()).extracting(ModelEntry::name).containsExactly("org/b:nested/b-Q4_0.gguf");
    }

    @Test
    void theSnapshotRefsMainPointsToWinsOverOlderOnes() throws IOException {
        Path hub = tmp.resolve("hub");
        env.put("HF_HUB_CACHE", hub.toString());
        hfFile(hub, "o/r", "1".repeat(40), "m-Q8_0.gguf", 10);
        Path current = hfFile(hub, "o/r", "2".repeat(40), "m-Q8_0.gguf", 20); // writes refs/main = 222…
        List<ModelEntry> all = locator().list();
        assertThat(all).hasSize(1);
        assertThat(all.getFirst().path()).isEqualTo(current);
    }

    @Test
    void ollamaNameWithoutTagMeansLatestAndOtherNamespacesKeepTheirPrefix() throws IOException {
        env.put("OLLAMA_MODELS", tmp.resolve("ol").toString());
        Path src = file(tmp.resolve("src.bin"), 64);
        Path latest = ollamaModel(tmp.resolve("ol"), "registry.ollama.ai", "library", "qwen2.5", "latest", src);
        Path user = ollamaModel(tmp.resolve("ol"), "registry.ollama.ai", "someone", "mymodel", "q4_K_M", src);
        Path hf = ollamaModel(tmp.resolve("ol"), "hf.co", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q8_0", src);
        assertThat(locator().list()).extracting(ModelEntry::name).containsExactlyInAnyOrder(
                "qwen2.5:latest", "someone/mymodel:q4_K_M", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0");
        assertThat(locator().resolve("qwen2.5")).isEqualTo(latest);
        assertThat(locator().resolve("someone/mymodel:q4_K_M")).isEqualTo(user);
        assertThat(locator().locate("someone/mymodel:q4_K_M").quantization()).isEqualTo("Q4_K_M"); // from the tag
        assertThat(locator().resolve("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0")).isEqualTo(hf);
    }

    @Test
    void anOllamaManifestWhoseBlobIsMissingIsNotListed() throws IOException {
        Path root = home.resolve(".ollama/models");
        Path blob = ollamaModel(root, "registry.ollama.ai", "library", "gone", "latest", file(tmp.resolve("s"), 8));
        Files.delete(blob);
        Files.writeString(Files.createDirectories(root.resolve("manifests/registry.ollama.ai/library/junk")).resolve("latest"),
                "not json");
        assertThat(locator().list()).isEmpty();
    }

    @Test
    void anAmbiguousNameListsTheMatches() throws IOException {
        file(cwd.resolve("models/same.gguf"), 10);
        env.put("CAIRN_MODELS", tmp.resolve("cm").toString());
        file(tmp.resolve("cm/same.gguf"), 10);
        assertThatThrownBy(() -> locator().resolve("same"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("'same' matches 2 models; give the path of the one you mean")
                .hasMessageContaining(cwd.resolve("models/same.gguf").toString())
                .hasMessageContaining(tmp.resolve("cm/same.gguf").toString());

        Path hub = tmp.resolve("hub");
        env.put("HF_HUB_CACHE", hub.toString());
        hfFile(hub, "o/multi", "d".repeat(40), "multi-Q4_0.gguf", 10);
        hfFile(hub, "o/multi", "d".repeat(40), "multi-Q8_0.gguf", 10);
        assertThatThrownBy(() -> locator().resolve("o/multi"))
                .hasMessageContaining("name one of them (or give its path)")
                .hasMessageContaining("o/multi:multi-Q4_0.gguf")
                .hasMessageContaining("o/multi:multi-Q8_0.gguf");
        assertThat(locator().resolve("o/multi:multi-Q8_0")).endsWithRaw(Path.of("multi-Q8_0.gguf"));
    }

    @Test
    void anExactNameBeatsAnAlias() throws IOException {
        // "org/x" is the name of a file in ./models (models/org/x.gguf) and the alias of a HF repo
        Path local = file(cwd.resolve("models/org/x.gguf"), 10);
        env.put("HF_HUB_CACHE", tmp.resolve("hub").toString());
        hfFile(tmp.resolve("hub"), "org/x", "e".repeat(40), "x-Q4_0.gguf", 10);
        assertThat(locator().resolve("org/x")).isEqualTo(local);
    }

    @Test
    void anUnknownNameSaysWhereItLooked() {
        env.put("CAIRN_MODELS", "/nowhere/cm");
        assertThatThrownBy(() -> locator().resolve("llama3:8b"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("no model named 'llama3:8b'")
                .hasMessageContaining(cwd.resolve("models").toString())
                .hasMessageContaining("/nowhere/cm")
                .hasMessageContaining(home.resolve(".cache/huggingface/hub").toString())
                .hasMessageContaining(home.resolve(".ollama/models").toString())
                .hasMessageContaining(home.resolve(".lmstudio/models").toString());
        // A missing path gets one message about that file, not also "no model named" and the stores it looked in.
        assertThatThrownBy(() -> locator().resolve("missing/file.gguf"))
                .hasMessageStartingWith("no such file: " + cwd.resolve("missing/file.gguf"))
                .hasMessageNotContaining("no model named").hasMessageNotContaining("Looked in");
    }

    @Test
    void withNoModelAnywhereTheBundledDemoModelIsExtractedOnceAndAnnounced() throws IOException {
        ModelEntry e = locator().locate(null);
        assertThat(e.source()).isEqualTo(ModelSource.BUNDLED);
        assertThat(e.path()).isEqualTo(home.resolve(".cache/cairn/aidreams260K-f32.gguf"));
        try (InputStream in = getClass().getResourceAsStream("/models/aidreams260K-f32.gguf")) {
            assertThat(Files.readAllBytes(e.path())).isEqualTo(in.readAllBytes());
        }
        assertThat(notices).singleElement().asString()
                .startsWith("no model found; using the bundled 260K demo model")
                .contains("--model");
        long modified = Files.getLastModifiedTime(e.path()).toMillis();
        Files.setLastModifiedTime(e.path(), java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));
        assertThat(locator().resolve("")).isEqualTo(e.path());
        assertThat(Files.getLastModifiedTime(e.path()).toMillis()).isEqualTo(modified - 60_000); // not rewritten
    }

    @Test
    void withNoModelGivenTheSmallestInTheFirstStoreIsUsed() throws IOException {
        file(cwd.resolve("models/big-Q8_0.gguf"), 300);
        Path small = file(cwd.resolve("models/small-Q8_0.gguf"), 100);
        env.put("CAIRN_MODELS", tmp.resolve("cm").toString());
        file(tmp.resolve("cm/tiny-Q8_0.gguf"), 10);
        assertThat(locator().resolve(null)).isEqualTo(small);
        assertThat(notices).singleElement().asString().contains("small-Q8_0").contains("3 models found");
    }

    @Test
    void quantizationIsReadFromCommonFileNames() {
        assertThat(Quantization.fromName("Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf")).isEqualTo("Q4_K_M");
        assertThat(Quantization.fromName("qwen2.5-0.5b-instruct-q8_0.gguf")).isEqualTo("Q8_0");
        assertThat(Quantization.fromName("mistral-7b-instruct-v0.2.Q5_K_S.gguf")).isEqualTo("Q5_K_S");
        assertThat(Quantization.fromName("model-IQ4_XS.gguf")).isEqualTo("IQ4_XS");
        assertThat(Quantization.fromName("smollm2-135m-instruct-f16.gguf")).isEqualTo("F16");
        assertThat(Quantization.fromName("gemma-2-2b-it-bf16.gguf")).isEqualTo("BF16");
        assertThat(Quantization.fromName("llama.gguf")).isNull();
        assertThat(Quantization.fromName("q4life.gguf")).isNull();
    }

    @Test
    void listAllAddsSyntheticModelsAndTheBundledDemoWhichNamesFindButDefaultsSkip() throws IOException {
        Path synthetic = realModel(home.resolve(".cache/cairn/synthetic/160m-q8_0.gguf"));
        List<ModelEntry> all = locator().listAll();
        assertThat(all).extracting(ModelEntry::name, ModelEntry::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple("160m-q8_0", ModelSource.SYNTHETIC),
                org.assertj.core.groups.Tuple.tuple("aidreams260K-f32", ModelSource.BUNDLED));
        assertThat(all.get(1).sizeBytes()).isEqualTo(937_632L);
        assertThat(locator().list()).isEmpty();
        // by name: the synthetic file, and the demo model extracted on first use
        assertThat(locator().locate("160m-q8_0").path()).isEqualTo(synthetic);
        ModelEntry demo = locator().locate("aidreams260K-f32");
        assertThat(demo.path()).isEqualTo(home.resolve(".cache/cairn/aidreams260K-f32.gguf")).isRegularFile();
        // with no model named, a synthetic model is never the default: the demo is
        assertThat(locator().locate(null).source()).isEqualTo(ModelSource.BUNDLED);
        // $CAIRN_CACHE moves both
        env.put("CAIRN_CACHE", tmp.resolve("cc").toString());
        assertThat(locator().listAll()).extracting(ModelEntry::source).containsExactly(ModelSource.BUNDLED);
    }

    @Test
    void anUnknownNameSuggestsNearNames() throws IOException {
        file(cwd.resolve("models/qwen2.5-0.5b-instruct-q4_k_m.gguf"), 10);
        file(cwd.resolve("models/qwen2.5-1.5b-instruct-q4_k_m.gguf"), 10);
        file(cwd.resolve("models/llama-3.2-1b-q8_0.gguf"), 10);
        // a prefix of several names: each is offered
        assertThatThrownBy(() -> locator().locate("qwen2.5"))
                .hasMessageContaining("Did you mean 'qwen2.5-0.5b-instruct-q4_k_m', 'qwen2.5-1.5b-instruct-q4_k_m'?");
        // a typo
        assertThatThrownBy(() -> locator().locate("lama-3.2-1b-q8_0"))
                .hasMessageContaining("Did you mean 'llama-3.2-1b-q8_0'?");
        // nothing near: no suggestion
        assertThatThrownBy(() -> locator().locate("mistral"))
                .hasMessageNotContaining("Did you mean").hasMessageContaining("no model named 'mistral'");
    }
}

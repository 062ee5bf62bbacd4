package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufArray;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufValueType;
import dev.cairn.gguf.GgufWriter;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.gguf.SyntheticModel.Shape;
import dev.cairn.gguf.SyntheticModel.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;

    private static String model(String name) throws Exception {
        return Path.of(InspectCommandTest.class.getResource("/models/" + name).toURI()).toString();
    }

    @Test
    void summarizesARealModel() throws Exception {
        CliCapture r = CliCapture.run("inspect", model("aidreams260K-q8_0-mixed.gguf"));
        assertThat(r.exitCode()).isZero();
        String o = r.out();
        assertThat(o).contains("GGUF v3").contains("295.2 KiB")
                .containsPattern("architecture: +llama")
                .containsPattern("parameters: +231\\.0K \\(230,976\\)")
                .containsPattern("context length: +128")
                .contains("embedding 64, 4 layers, 4 heads (4 KV), FFN 172")
                .contains("MOSTLY_Q8_0: Q8_0 25 tensors 193.4 KiB, F16 4 tensors 86.0 KiB, F32 9 tensors 2.3 KiB")
                .containsPattern("tokenizer: +SentencePiece \\(llama\\), 512 tokens")
                .containsPattern("chat template: +none");
        assertThat(o).doesNotContain("metadata (");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void countsParametersAndTypesOfASyntheticQwen() {
        Spec spec = new Spec("qwen2", new Shape("k", 256, 2, 4, 2, 512, 1024), GgmlType.Q4_K, 1);
        Path p = SyntheticModel.write(dir.resolve("q.gguf"), spec);
        CliCapture r = CliCapture.run("inspect", p.toString());
        assertThat(r.exitCode()).isZero();
        long params = SyntheticModel.parameterCount(spec);
        assertThat(r.out()).contains(String.format(Locale.ROOT, "(%,d)", params))
                .containsPattern("architecture: +qwen2")
                .containsPattern("context length: +1024")
                .contains("MOSTLY_Q4_K_S: Q4_K 16 tensors")
                .contains("F32 ");
    }

    @Test
    void vocabularyOnlyBpeFileWithATemplate() {
        Path p = dir.resolve("vocab.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.putString("general.architecture", "qwen2")
                    .putString("tokenizer.ggml.model", "gpt2")
                    .putString("tokenizer.ggml.pre", "qwen2")
                    .putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, new String[] {"a", "b", "ab", "<|im_end|>"}))
                    .putString("tokenizer.chat_template", "{% for m in messages %}{{ m.content }}{% endfor %}")
                    .putString("tokenizer.chat_template.tool_use", "{{ tools }}");
        }
        CliCapture r = CliCapture.run("inspect", p.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("parameters: +none \\(vocabulary-only file\\)")
                .containsPattern("context length: +not set")
                .contains("byte-level BPE (gpt2), pre-tokenizer qwen2, 4 tokens")
                .containsPattern("chat template: +present \\(also named: tool_use\\)")
                .doesNotContain("quantization:");
    }

    @Test
    void allPrintsEveryKeyAbbreviatedAndEveryTensor() throws Exception {
        String path = model("aidreams260K-f32.gguf");
        CliCapture r = CliCapture.run("inspect", path, "--all");
        assertThat(r.exitCode()).isZero();
        String o = r.out();
        try (GgufFile f = GgufFile.open(Path.of(path))) {
            assertThat(o).contains("metadata (" + f.metadata().size() + " keys):");
            for (String k : f.metadata().keySet()) {
                assertThat(o).contains("  " + k + " ");
            }
            assertThat(o).contains("tensors (" + f.tensors().size() + ", data at byte " + f.dataOffset() + "):");
            for (String t : f.tensors().keySet()) {
                assertThat(o).containsPattern("(?m)^  " + t.replace(".", "\\.") + " +F32 ");
            }
        }
        assertThat(o).contains("tokenizer.ggml.tokens ARRAY<STRING>[512] = [\"<unk>\", \"<s>\", \"</s>\"")
                .contains("... 504 more]")
                .contains("llama.embedding_length UINT32 = 64")
                .containsPattern("token_embd\\.weight +F32 +\\[64, 512\\] +128\\.0 KiB");
        assertThat(o.lines().filter(l -> l.length() > 400)).as("long values are abbreviated").isEmpty();
    }

    @Test
    void worksOnEveryBundledModelAndVocabularyFile() throws Exception {
        Path vocab = Path.of(InspectCommandTest.class.getResource("/vocab").toURI());
        Path models = Path.of(InspectCommandTest.class.getResource("/models").toURI());
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (Path d : new Path[] {vocab, models}) {
            try (var s = Files.list(d)) {
                s.filter(f -> f.toString().endsWith(".gguf")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path f : files) {
            CliCapture r = CliCapture.run("inspect", f.toString(), "--all");
            assertThat(r.exitCode()).as(f.toString()).isZero();
            assertThat(r.out()).containsPattern("architecture: +\\S+").containsPattern("tokenizer: +(SentencePiece|byte-level BPE)");
            assertThat(r.err()).as(f.toString()).isEmpty();
        }
    }

    @Test
    void badFilesGiveOneClearLineAndExitOne() throws Exception {
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "definitely not a model");
        CliCapture notGguf = CliCapture.run("inspect", junk.toString());
        assertThat(notGguf.exitCode()).isEqualTo(1);
        assertThat(notGguf.err().strip()).isEqualTo("cairn inspect: junk.gguf: not a GGUF file (the first four bytes are not \"GGUF\")");

        byte[] real = Files.readAllBytes(Path.of(model("aidreams260K-f32.gguf")));
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(real, 3000));
        CliCapture truncated = CliCapture.run("inspect", cut.toString());
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.err().lines().toList()).hasSize(1).first().asString().startsWith("cairn inspect: cut.gguf: truncated at byte 3000");

        CliCapture missing = CliCapture.run("inspect", dir.resolve("missing.gguf").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().lines().toList()).hasSize(1).first().asString().endsWith("missing.gguf: no such file");

        CliCapture directory = CliCapture.run("inspect", dir.toString());
        assertThat(directory.exitCode()).isEqualTo(1);
        assertThat(directory.err().lines().toList()).hasSize(1).first().asString().endsWith("is a directory, not a GGUF file");
        for (CliCapture r : new CliCapture[] {notGguf, truncated, missing, directory}) {
            assertThat(r.out()).isEmpty();
        }
    }
}

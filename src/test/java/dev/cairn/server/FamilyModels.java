package dev.cairn.server;

import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufArray;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufValueType;
import dev.cairn.gguf.GgufWriter;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.model.LoadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Random-weight models that look like the real chat families to everything but their weights: the family's own chat
 * template, its special tokens as single tokens with the token types llama.cpp's converter gives them, its BOS/EOS
 * metadata and pre-tokenizer, over a byte-level BPE base vocabulary (the first {@value #BASE_TOKENS} tokens of GPT-2
 * with the merges among them), so any text tokenizes. Each file is written once per test JVM, deterministically.
 *
 * <p>Token types follow convert_hf_to_gguf: tokens the Hugging Face tokenizer marks special, or that look special
 * ({@code <|...|>}), are CONTROL; other added tokens ({@code <tool_call>}, {@code <think>}) are USER_DEFINED, which is
 * why llama.cpp prints them in generated text and splits them out of text even without parse_special. Ids are not the
 * real models' ids: specials follow the base vocabulary (Mistral's lead it, as in Tekken).
 */
public final class FamilyModels {
    /** GGUF token types (tokenizer.ggml.token_type), as llama.cpp's llama_token_type. */
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;

    /** How many GPT-2 tokens form the base: the 256 byte tokens and the first merges, a few thousand in all. */
    static final int BASE_TOKENS = 3000;

    /** Small like {@link SyntheticModel.Shape#TEST}, but with room for prompts that carry tool definitions. */
    static final SyntheticModel.Shape SHAPE = new SyntheticModel.Shape("family", 64, 2, 4, 2, 192, 8192);

    private static final String BASE_VOCAB = "/vocab/ggml-vocab-gpt-2.gguf";

    /** One added token: its text and GGUF token type. */
    public record Special(String text, int type) {
    }

    private static Special control(String text) {
        return new Special(text, CONTROL);
    }

    private static Special userDefined(String text) {
        return new Special(text, USER_DEFINED);
    }

    private static final List<Special> QWEN_SPECIALS = List.of(control("<|endoftext|>"), control("<|im_start|>"),
            control("<|im_end|>"), userDefined("<tool_call>"), userDefined("</tool_call>"));
    private static final List<Special> LLAMA3_SPECIALS = List.of(control("<|begin_of_text|>"),
            control("<|end_of_text|>"), control("<|reserved_special_token_0|>"),
            control("<|reserved_special_token_1|>"), control("<|finetune_right_pad_id|>"),
            control("<|reserved_special_token_2|>"), control("<|start_header_id|>"), control("<|end_header_id|>"),
            control("<|eom_id|>"), control("<|eot_id|>"), control("<|python_tag|>"));

    /** The families, each with the template file under src/test/resources/templates it carries. */
    public enum Family {
        /** Qwen2.5 Instruct: ChatML, Hermes-style {@code <tool_call>} tags. */
        QWEN25("qwen2", "Qwen-Qwen2.5-7B-Instruct.jinja", "qwen2", List.of(), QWEN_SPECIALS,
                "<|endoftext|>", "<|im_end|>", false, 101),
        /** Qwen3: Qwen2.5's tokens plus {@code <tool_response>} and {@code <think>} tags (user-defined). */
        QWEN3("qwen3", "Qwen-Qwen3-8B.jinja", "qwen2", List.of(), concat(QWEN_SPECIALS,
                List.of(userDefined("<tool_response>"), userDefined("</tool_response>"), userDefined("<think>"),
                        userDefined("</think>"))),
                "<|endoftext|>", "<|im_end|>", false, 102),
        /** Llama 3.1 Instruct: header tokens, {@code <|eot_id|>} ends a turn, {@code <|python_tag|>} opens a call. */
        LLAMA31("llama", "meta-llama-Llama-3.1-8B-Instruct.jinja", "llama-bpe", List.of(), LLAMA3_SPECIALS,
                "<|begin_of_text|>", "<|eot_id|>", true, 103),
        /** Mistral Nemo (Tekken): control tokens first, {@code [TOOL_CALLS]} opens the calls. */
        MISTRAL_NEMO("llama", "mistralai-Mistral-Nemo-Instruct-2407.jinja", "tekken",
                List.of(new Special("<unk>", UNKNOWN), control("<s>"), control("</s>"), control("[INST]"),
                        control("[/INST]"), control("[AVAILABLE_TOOLS]"), control("[/AVAILABLE_TOOLS]"),
                        control("[TOOL_RESULTS]"), control("[/TOOL_RESULTS]"), control("[TOOL_CALLS]"),
                        control("[IMG]"), control("<pad>")),
                List.of(), "<s>", "</s>", true, 104),
        /** Hermes 3 (Llama 3.1 base): Llama 3's tokens plus ChatML's and the {@code <tool_call>} tags. */
        HERMES3("llama", "NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja", "llama-bpe", List.of(),
                concat(LLAMA3_SPECIALS, List.of(control("<|im_start|>"), control("<|im_end|>"),
                        userDefined("<tool_call>"), userDefined("</tool_call>"), userDefined("<tool_response>"),
                        userDefined("</tool_response>"))),
                "<|begin_of_text|>", "<|im_end|>", true, 105);

        final String architecture;
        final String templateFile;
        final String preTokenizer;
        final List<Special> leading;
        final List<Special> trailing;
        final String bos;
        final String eos;
        final boolean addBos;
        final long seed;

        Family(String architecture, String templateFile, String preTokenizer, List<Special> leading,
                List<Special> trailing, String bos, String eos, boolean addBos, long seed) {
            this.architecture = architecture;
            this.templateFile = templateFile;
            this.preTokenizer = preTokenizer;
            this.leading = leading;
            this.trailing = trailing;
            this.bos = bos;
            this.eos = eos;
            this.addBos = addBos;
            this.seed = seed;
        }

        /** Every added token of the family, in id order. */
        public List<Special> specials() {
            return concat(leading, trailing);
        }

        /** The texts of the added tokens, in id order. */
        public List<String> specialTexts() {
            return specials().stream().map(Special::text).toList();
        }

        /** The BOS token's text (what the template's {@code bos_token} is). */
        public String bosText() {
            return bos;
        }

        /** The EOS token's text: the token that ends an assistant turn in this family's instruct model. */
        public String eosText() {
            return eos;
        }

        /** The chat template the model carries (tokenizer.chat_template). */
        public String template() {
            return resourceText("/templates/" + templateFile);
        }
    }

    private static final Map<Family, Path> FILES = new HashMap<>(); // not an EnumMap: Family initializes this class

    private FamilyModels() {
    }

    /** The model file of {@code family}, written on first use into a temporary directory removed at JVM exit. */
    public static synchronized Path file(Family family) {
        Path f = FILES.get(family);
        if (f == null) {
            try {
                Path dir = Files.createTempDirectory("cairn-family-models");
                dir.toFile().deleteOnExit();
                f = write(family, dir);
                f.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FILES.put(family, f);
        }
        return f;
    }

    /** The model of {@code family} loaded by the real loader, with a context of {@code ctx} and one thread. */
    public static ModelBundle load(Family family, int ctx) {
        return ModelBundles.load(file(family), null, LoadOptions.defaults().withCtxSize(ctx).withThreads(1));
    }

    /** Writes the model of {@code family} into {@code dir} (f32 weights) and returns its path. */
    static Path write(Family family, Path dir) {
        return write(family, SHAPE, dir);
    }

    /** Writes the model of {@code family} with the weights' {@code shape} into {@code dir}; returns its path. */
    static Path write(Family family, SyntheticModel.Shape shape, Path dir) {
        Path vocabFile = dir.resolve(family.name().toLowerCase() + "-vocab.gguf");
        writeVocabulary(family, vocabFile);
        Path out = dir.resolve(family.name().toLowerCase() + "-" + shape.name() + ".gguf");
        try (GgufFile vocab = GgufFile.open(vocabFile)) {
            SyntheticModel.write(out, new SyntheticModel.Spec(family.architecture, shape, GgmlType.F32, family.seed),
                    vocab);
        } finally {
            deleteQuietly(vocabFile);
        }
        return out;
    }

    /** A tokenizer-only GGUF: the family's tokens, types, merges, ids and template. */
    private static void writeVocabulary(Family family, Path out) {
        BaseVocabulary base = BaseVocabulary.get();
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (Special s : family.leading) {
            tokens.add(s.text());
            types.add(s.type());
        }
        for (String t : base.tokens) {
            tokens.add(t);
            types.add(NORMAL);
        }
        for (Special s : family.trailing) {
            tokens.add(s.text());
            types.add(s.type());
        }
        try (GgufWriter w = GgufWriter.create(out)) {
            w.putString("tokenizer.ggml.model", "gpt2");
            w.putString("tokenizer.ggml.pre", family.preTokenizer);
            w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens.toArray(String[]::new)));
            w.putArray("tokenizer.ggml.token_type",
                    new GgufArray(GgufValueType.INT32, types.stream().mapToInt(Integer::intValue).toArray()));
            w.putArray("tokenizer.ggml.merges", new GgufArray(GgufValueType.STRING, base.merges.toArray(String[]::new)));
            w.putUInt32("tokenizer.ggml.bos_token_id", tokens.indexOf(family.bos));
            w.putUInt32("tokenizer.ggml.eos_token_id", tokens.indexOf(family.eos));
            w.putBool("tokenizer.ggml.add_bos_token", family.addBos);
            if (tokens.contains("<unk>")) {
                w.putUInt32("tokenizer.ggml.unknown_token_id", tokens.indexOf("<unk>"));
            }
            w.putString("tokenizer.chat_template", family.template());
        }
    }

    /** The first {@value #BASE_TOKENS} GPT-2 tokens and every merge whose parts and result are among them. */
    private record BaseVocabulary(List<String> tokens, List<String> merges) {
        private static BaseVocabulary cached;

        static synchronized BaseVocabulary get() {
            if (cached == null) {
                cached = read();
            }
            return cached;
        }

        private static BaseVocabulary read() {
            try (InputStream in = FamilyModels.class.getResourceAsStream(BASE_VOCAB)) {
                if (in == null) {
                    throw new IllegalStateException("test resource " + BASE_VOCAB + " is missing");
                }
                try (GgufFile gpt2 = GgufFile.read(BASE_VOCAB, in.readAllBytes())) {
                    List<String> tokens = List.of(gpt2.getStringArray("tokenizer.ggml.tokens")).subList(0, BASE_TOKENS);
                    Set<String> kept = new HashSet<>(tokens);
                    List<String> merges = new ArrayList<>();
                    for (String m : gpt2.getStringArray("tokenizer.ggml.merges")) {
                        int sp = m.indexOf(' ', 1);
                        String left = m.substring(0, sp);
                        String right = m.substring(sp + 1);
                        if (kept.contains(left) && kept.contains(right) && kept.contains(left + right)) {
                            merges.add(m);
                        }
                    }
                    return new BaseVocabulary(tokens, merges);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String resourceText(String name) {
        try (InputStream in = FamilyModels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover vocabulary file in a temporary directory is harmless
        }
    }
}

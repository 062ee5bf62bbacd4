package dev.cairn.gguf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The facts a person wants first about a GGUF file, derived from its metadata and tensor infos. */
public record GgufSummary(String architecture, String name, long parameters, Long contextLength, String fileType,
        List<TypeUsage> quantization, String tokenizer, int vocabularySize, boolean chatTemplate, List<String> namedTemplates) {

    /** How many tensors of one type the file has and the bytes they take. */
    public record TypeUsage(GgmlType type, int tensors, long bytes) {}

    public static GgufSummary of(GgufFile f) {
        String arch = f.architecture();
        long params = 0;
        Map<GgmlType, long[]> mix = new EnumMap<>(GgmlType.class);
        for (TensorInfo t : f.tensors().values()) {
            params += t.elementCount();
            long[] u = mix.computeIfAbsent(t.type(), k -> new long[2]);
            u[0]++;
            u[1] += t.byteSize();
        }
        List<TypeUsage> usage = new ArrayList<>();
        mix.forEach((type, u) -> usage.add(new TypeUsage(type, (int) u[0], u[1])));
        usage.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        Object ctx = f.metadata().get(arch + ".context_length");
        String[] tokens = f.getStringArray("tokenizer.ggml.tokens");
        List<String> named = f.metadata().keySet().stream()
                .filter(k -> k.startsWith("tokenizer.chat_template.")).map(k -> k.substring("tokenizer.chat_template.".length())).toList();
        return new GgufSummary(arch, f.getString("general.name"), params,
                ctx instanceof Number n ? n.longValue() : null,
                fileTypeName(f.metadata().get("general.file_type")),
                List.copyOf(usage), tokenizerKind(f), tokens == null ? 0 : tokens.length,
                f.getString("tokenizer.chat_template") != null, named);
    }

    /** "SentencePiece", "byte-level BPE (pre-tokenizer qwen2)", ... from tokenizer.ggml.model and .pre. */
    static String tokenizerKind(GgufFile f) {
        String model = f.getString("tokenizer.ggml.model");
        if (model == null) {
            return "none";
        }
        return switch (model) {
            case "llama" -> "SentencePiece (llama)";
            case "gpt2" -> "byte-level BPE (gpt2), pre-tokenizer " + f.getString("tokenizer.ggml.pre", "default");
            case "bert" -> "WordPiece (bert)";
            case "t5" -> "Unigram (t5)";
            case "rwkv" -> "RWKV";
            case "no_vocab", "none" -> "none";
            default -> model;
        };
    }

    /** llama.cpp's llama_ftype names for general.file_type. */
    static String fileTypeName(Object v) {
        if (!(v instanceof Number n)) {
            return null;
        }
        int t = n.intValue();
        String name = switch (t) {
            case 0 -> "ALL_F32";
            case 1 -> "MOSTLY_F16";
            case 2 -> "MOSTLY_Q4_0";
            case 3 -> "MOSTLY_Q4_1";
            case 7 -> "MOSTLY_Q8_0";
            case 8 -> "MOSTLY_Q5_0";
            case 9 -> "MOSTLY_Q5_1";
            case 10 -> "MOSTLY_Q2_K";
            case 11 -> "MOSTLY_Q3_K_S";
            case 12 -> "MOSTLY_Q3_K_M";
            case 13 -> "MOSTLY_Q3_K_L";
            case 14 -> "MOSTLY_Q4_K_S";
            case 15 -> "MOSTLY_Q4_K_M";
            case 16 -> "MOSTLY_Q5_K_S";
            case 17 -> "MOSTLY_Q5_K_M";
            case 18 -> "MOSTLY_Q6_K";
            case 19 -> "MOSTLY_IQ2_XXS";
            case 20 -> "MOSTLY_IQ2_XS";
            case 21 -> "MOSTLY_Q2_K_S";
            case 22 -> "MOSTLY_IQ3_XS";
            case 23 -> "MOSTLY_IQ3_XXS";
            case 24 -> "MOSTLY_IQ1_S";
            case 25 -> "MOSTLY_IQ4_NL";
            case 26 -> "MOSTLY_IQ3_S";
            case 27 -> "MOSTLY_IQ3_M";
            case 28 -> "MOSTLY_IQ2_S";
            case 29 -> "MOSTLY_IQ2_M";
            case 30 -> "MOSTLY_IQ4_XS";
            case 31 -> "MOSTLY_IQ1_M";
            case 32 -> "MOSTLY_BF16";
            case 36 -> "MOSTLY_TQ1_0";
            case 37 -> "MOSTLY_TQ2_0";
            default -> null;
        };
        return name == null ? "unknown (" + t + ")" : name;
    }
}

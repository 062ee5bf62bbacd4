package dev.cairn.catalog;

import dev.cairn.gguf.GgufFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names a model file's quantization: from its file name when it says (the usual case), else from its GGUF header. */
final class Quantization {
    private static final Pattern IN_NAME = Pattern.compile(
            "(?i)(?:^|[-_.])((?:IQ|Q)\\d_(?:K(?:_[SMLX]{1,2})?|\\d|[A-Z]{1,3})|BF16|F16|F32|FP16|FP32)(?=[-_.]|$)");

    // llama.cpp's llama_ftype values (general.file_type), the ones in use today.
    private static final String[] FILE_TYPES = new String[40];

    static {
        String[][] t = {{"0", "F32"}, {"1", "F16"}, {"2", "Q4_0"}, {"3", "Q4_1"}, {"7", "Q8_0"}, {"8", "Q5_0"},
                {"9", "Q5_1"}, {"10", "Q2_K"}, {"11", "Q3_K_S"}, {"12", "Q3_K_M"}, {"13", "Q3_K_L"}, {"14", "Q4_K_S"},
                {"15", "Q4_K_M"}, {"16", "Q5_K_S"}, {"17", "Q5_K_M"}, {"18", "Q6_K"}, {"19", "IQ2_XXS"},
                {"20", "IQ2_XS"}, {"21", "Q2_K_S"}, {"22", "IQ3_XS"}, {"23", "IQ3_XXS"}, {"24", "IQ1_S"},
                {"25", "IQ4_NL"}, {"26", "IQ3_S"}, {"27", "IQ3_M"}, {"28", "IQ2_S"}, {"29", "IQ2_M"}, {"30", "IQ4_XS"},
                {"31", "IQ1_M"}, {"32", "BF16"}, {"36", "TQ1_0"}, {"37", "TQ2_0"}, {"38", "MXFP4"}};
        for (String[] e : t) {
            FILE_TYPES[Integer.parseInt(e[0])] = e[1];
        }
    }

    private Quantization() {
    }

    static String of(Path file, String displayName) {
        String fromName = fromName(displayName);
        return fromName != null ? fromName : fromHeader(file);
    }

    static String fromName(String name) {
        Matcher m = IN_NAME.matcher(name);
        String found = null;
        while (m.find()) {
            found = m.group(1); // the last one: "llama-3-8b-instruct-Q4_K_M" has only one, but "f16" may be a prefix tag
        }
        if (found == null) {
            return null;
        }
        String q = found.toUpperCase(Locale.ROOT);
        return switch (q) {
            case "FP16" -> "F16";
            case "FP32" -> "F32";
            default -> q;
        };
    }

    static String fromHeader(Path file) {
        try (GgufFile g = GgufFile.open(file)) {
            long ft = g.getLong("general.file_type", -1);
            if (ft >= 0 && ft < FILE_TYPES.length && FILE_TYPES[(int) ft] != null) {
                return FILE_TYPES[(int) ft];
            }
            return "?";
        } catch (RuntimeException e) {
            return "?"; // unreadable files are still listed; loading them gives the real error
        }
    }
}

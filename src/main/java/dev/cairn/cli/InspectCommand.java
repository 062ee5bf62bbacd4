package dev.cairn.cli;

import dev.cairn.gguf.GgufArray;
import dev.cairn.gguf.GgufException;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufSummary;
import dev.cairn.gguf.GgufValueType;
import dev.cairn.gguf.TensorInfo;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Describes a GGUF file: what model it is, how it is quantized, its tokenizer; with --all every key and tensor. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe a GGUF file: architecture, parameters, context, quantization mix, tokenizer, chat template.")
public final class InspectCommand implements Callable<Integer> {
    private static final int ARRAY_PREVIEW = 8;
    private static final int STRING_PREVIEW = 120;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.gguf", description = "The GGUF file to describe.")
    Path file;

    @Option(names = "--all", description = "Also print every metadata key (long values abbreviated) and every tensor.")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile f = GgufFile.open(file)) {
            printSummary(out, f, GgufSummary.of(f));
            if (all) {
                printMetadata(out, f);
                printTensors(out, f);
            }
            out.flush();
            return 0;
        } catch (GgufException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("cairn inspect: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static void printSummary(PrintWriter out, GgufFile f, GgufSummary s) {
        row(out, "file", f.path() + " (" + bytes(f.fileSize()) + ", GGUF v" + f.version() + ")");
        if (s.name() != null) {
            row(out, "name", s.name());
        }
        row(out, "architecture", s.architecture());
        if (f.tensors().isEmpty()) {
            row(out, "parameters", "none (vocabulary-only file)");
        } else {
            row(out, "parameters", count(s.parameters()) + " (" + String.format(Locale.ROOT, "%,d", s.parameters()) + ")");
        }
        row(out, "context length", s.contextLength() == null ? "not set" : Long.toString(s.contextLength()));
        String a = s.architecture();
        if (f.has(a + ".embedding_length")) {
            row(out, "shape", shape(f, a));
        }
        if (!f.tensors().isEmpty()) {
            row(out, "quantization", (s.fileType() == null ? "" : s.fileType() + ": ")
                    + s.quantization().stream()
                            .map(u -> u.type() + " " + u.tensors() + (u.tensors() == 1 ? " tensor " : " tensors ") + bytes(u.bytes()))
                            .collect(Collectors.joining(", ")));
        }
        row(out, "tokenizer", s.tokenizer() + (s.vocabularySize() > 0 ? ", " + s.vocabularySize() + " tokens" : ""));
        String template = s.chatTemplate() ? "present" : "none";
        if (!s.namedTemplates().isEmpty()) {
            template += " (also named: " + String.join(", ", s.namedTemplates()) + ")";
        }
        row(out, "chat template", template);
    }

    private static String shape(GgufFile f, String a) {
        StringBuilder sb = new StringBuilder();
        sb.append("embedding ").append(f.getLong(a + ".embedding_length", 0));
        if (f.has(a + ".block_count")) {
            sb.append(", ").append(f.getLong(a + ".block_count", 0)).append(" layers");
        }
        if (f.has(a + ".attention.head_count")) {
            sb.append(", ").append(f.metadata().get(a + ".attention.head_count")).append(" heads");
            if (f.has(a + ".attention.head_count_kv")) {
                sb.append(" (").append(f.metadata().get(a + ".attention.head_count_kv")).append(" KV)");
            }
        }
        if (f.has(a + ".feed_forward_length")) {
            sb.append(", FFN ").append(f.metadata().get(a + ".feed_forward_length"));
        }
        return sb.toString();
    }

    private static void printMetadata(PrintWriter out, GgufFile f) {
        out.println();
        out.println("metadata (" + f.metadata().size() + " keys):");
        f.metadata().forEach((k, v) -> {
            GgufValueType t = f.metadataType(k);
            String type = v instanceof GgufArray arr ? "ARRAY<" + arr.elementType() + ">[" + arr.length() + "]" : String.valueOf(t);
            out.println("  " + k + " " + type + " = " + value(v));
        });
    }

    private static void printTensors(PrintWriter out, GgufFile f) {
        out.println();
        out.println("tensors (" + f.tensors().size() + ", data at byte " + f.dataOffset() + "):");
        int width = f.tensors().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (TensorInfo t : f.tensors().values()) {
            out.println(String.format(Locale.ROOT, "  %-" + width + "s %-5s %-22s %10s  @%d", t.name(), t.type(),
                    Arrays.toString(t.shape()), bytes(t.byteSize()), t.offset()));
        }
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof GgufArray a) {
            int n = a.length();
            StringBuilder sb = new StringBuilder("[");
            boolean unsigned32 = a.elementType() == GgufValueType.UINT32;
            for (int i = 0; i < Math.min(n, ARRAY_PREVIEW); i++) {
                Object e = Array.get(a.values(), i);
                sb.append(i > 0 ? ", " : "").append(unsigned32 ? Integer.toUnsignedString((Integer) e) : value(e));
            }
            if (n > ARRAY_PREVIEW) {
                sb.append(", ... ").append(n - ARRAY_PREVIEW).append(" more");
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

    /** A string on one line, escaped, shortened when long (chat templates run to kilobytes). */
    private static String quote(String s) {
        String shown = s.length() > STRING_PREVIEW ? s.substring(0, STRING_PREVIEW) : s;
        String esc = shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return '"' + esc + '"' + (s.length() > STRING_PREVIEW ? "... (" + s.length() + " chars)" : "");
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "%-15s %s", label + ":", value));
    }

    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return Long.toString(n);
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }
}

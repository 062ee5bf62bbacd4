package dev.cairn.cli;

import dev.cairn.catalog.ModelEntry;
import dev.cairn.catalog.ModelLocator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models cairn can find (./models, $CAIRN_MODELS, Hugging Face cache, Ollama, LM Studio).")
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelLocator locator = ModelLocator.system();
        List<ModelEntry> models = locator.list();
        List<ModelEntry> all = locator.listAll();
        if (models.isEmpty()) {
            out.println("No models found. cairn looks in ./models, $CAIRN_MODELS, the Hugging Face cache ("
                    + locator.locations().huggingFaceHub() + "), Ollama (" + locator.locations().ollamaModels()
                    + ") and LM Studio (~/.lmstudio/models).");
            out.println("Download one with `cairn pull hf:ORG/REPO/FILE.gguf`; without one, serve and chat use the bundled demo model.");
            out.println();
        }
        out.print(table(all));
        out.flush();
        return 0;
    }

    /** Aligned columns: name, source, quantization, size, path. */
    static String table(List<ModelEntry> models) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "SOURCE", "QUANT", "SIZE", "PATH"});
        for (ModelEntry e : models) {
            rows.add(new String[] {e.name(), e.source().label(), e.quantization(),
                    e.sizeBytes() < 0 ? "?" : ProgressBar.bytes(e.sizeBytes()), e.path().toString()});
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < 5; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 3 ? " ".repeat(width[i] - r[i].length()) + r[i] : r[i] + " ".repeat(width[i] - r[i].length()));
                sb.append("  ");
            }
            sb.append(r[4]).append('\n');
        }
        return sb.toString();
    }
}

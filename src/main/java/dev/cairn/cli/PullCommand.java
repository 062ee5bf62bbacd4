package dev.cairn.cli;

import dev.cairn.catalog.HfPull;
import dev.cairn.catalog.ModelLocations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download a GGUF model from Hugging Face into its cache (resumes a partial download).",
                "Honours HF_ENDPOINT (default https://huggingface.co), HF_HUB_CACHE / HF_HOME and HF_TOKEN."})
public final class PullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "hf:ORG/REPO/FILE.gguf",
            description = "e.g. hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf")
    String model;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream err = System.err;
        HfPull.Spec target;
        try {
            target = HfPull.Spec.parse(model);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        HfPull pull = new HfPull(ModelLocations.system());
        err.println("pulling " + pull.url(target));
        ProgressBar bar = ProgressBar.forStderr(err, "Download", ProgressBar.Unit.BYTES).minIntervalMs(100);
        try {
            HfPull.Result r = pull.pull(target, bar::update);
            bar.finish();
            if (r.alreadyPresent()) {
                out.println("already downloaded: " + r.file() + " (" + ProgressBar.bytes(r.sizeBytes()) + ")");
            } else {
                out.println((r.resumedFrom() > 0 ? "resumed at " + ProgressBar.bytes(r.resumedFrom()) + "; " : "")
                        + "saved " + r.file() + " (" + ProgressBar.bytes(r.sizeBytes()) + ", size verified)");
            }
            out.println("run it with: cairn chat --model " + target.repoId() + ":" + target.file());
            out.flush();
            return 0;
        } catch (IOException e) {
            bar.finish();
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("error: " + msg);
            if (msg.contains("EOF") || msg.contains("reset") || msg.contains("closed")) {
                err.println("the partial download is kept; run the same command again to resume");
            }
            return 1;
        }
    }
}

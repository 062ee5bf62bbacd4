package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.catalog.ModelEntry;
import dev.cairn.catalog.ModelSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {
    @Test
    void printsAnAlignedTableWithSizesRightAligned() {
        String table = ModelsCommand.table(List.of(
                new ModelEntry("llama3.2:1b", ModelSource.OLLAMA, "Q8_0", 1_321_098_432L, Path.of("/o/blobs/sha256-ab"), Set.of()),
                new ModelEntry("Qwen/Qwen2.5-0.5B-Instruct-GGUF:q.gguf", ModelSource.HUGGING_FACE, "Q4_K_M", 491_400_032L,
                        Path.of("/hf/q.gguf"), Set.of())));
        assertThat(table.lines().toList()).containsExactly(
                "NAME                                    SOURCE       QUANT      SIZE  PATH",
                "llama3.2:1b                             ollama       Q8_0    1.23 GB  /o/blobs/sha256-ab",
                "Qwen/Qwen2.5-0.5B-Instruct-GGUF:q.gguf  huggingface  Q4_K_M   469 MB  /hf/q.gguf");
    }
}

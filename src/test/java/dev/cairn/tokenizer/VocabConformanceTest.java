package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's own tokenizer test vectors (tests/test-tokenizer-0): every string of each {@code .inp} file must give
 * exactly the ids of the matching {@code .out} line, tokenized with add_special = false and parse_special = false.
 */
class VocabConformanceTest {
    static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    record Case(String text, int[] ids) {
    }

    static Path vocab(String name) throws Exception {
        return Path.of(VocabConformanceTest.class.getResource("/vocab/ggml-vocab-" + name + ".gguf").toURI());
    }

    static Tokenizer load(String name) throws Exception {
        try (GgufFile f = GgufFile.open(vocab(name))) {
            return Tokenizers.fromGguf(f);
        }
    }

    /** Splits the test files the way test-tokenizer-0.cpp does. */
    static List<Case> cases(String name) throws Exception {
        Path gguf = vocab(name);
        String raw = Files.readString(gguf.resolveSibling(gguf.getFileName() + ".inp"), StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        List<String> outputs = Files.readAllLines(gguf.resolveSibling(gguf.getFileName() + ".out"), StandardCharsets.UTF_8);
        assertThat(inputs).hasSize(outputs.size());
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String o = outputs.get(i).strip();
            int[] ids = o.isEmpty() ? new int[0] : Arrays.stream(o.split(" ")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(inputs.get(i), ids));
        }
        return cases;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm", "falcon", "starcoder"})
    void everyTestStringGivesLlamaCppIds(String name) throws Exception {
        Tokenizer tok = load(name);
        List<Case> cases = cases(name);
        assertThat(cases).hasSizeGreaterThan(40);
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            int[] got = tok.encode(c.text(), false, false);
            if (!Arrays.equals(got, c.ids())) {
                failures.add("'" + c.text().replace("\n", "\\n") + "'\n    expected " + Arrays.toString(c.ids()) + "\n    got      " + Arrays.toString(got));
            }
        }
        assertThat(failures).as(name + ": %d of %d cases differ", failures.size(), cases.size()).isEmpty();
    }

    /** Vocabularies whose llama.cpp detokenizer returns the original text (no clean-up of spaces). */
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "deepseek-llm"})
    void decodeInvertsEncode(String name) throws Exception {
        Tokenizer tok = load(name);
        for (Case c : cases(name)) {
            assertThat(tok.decode(tok.encode(c.text(), false, false))).as(name).isEqualTo(c.text());
        }
    }

    /**
     * GPT-2, Falcon and StarCoder set clean_up_tokenization_spaces: llama.cpp's detokenizer drops the space in
     * " ?", " !", " .", " ," and before some contractions. Every other string comes back unchanged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gpt-2", "falcon", "starcoder"})
    void decodeCleansSpacesLikeLlamaCpp(String name) throws Exception {
        Tokenizer tok = load(name);
        int unchanged = 0;
        for (Case c : cases(name)) {
            String back = tok.decode(tok.encode(c.text(), false, false));
            if (!c.text().matches("(?s).*( [?!.,]| ').*")) {
                assertThat(back).as(name).isEqualTo(c.text());
                unchanged++;
            }
        }
        assertThat(unchanged).isGreaterThan(40);
        String s = "Hello, y'all! How are you 😁 ?我想在apple工作1314151天～";
        assertThat(tok.decode(tok.encode(s, false, false))).isEqualTo("Hello, y'all! How are you 😁?我想在apple工作1314151天～");
        // checked with llama_detokenize: " ' " loses both spaces, " 's" its space, " 't" keeps it
        assertThat(tok.decode(tok.encode("a 'b' c 's d 't e ' f", false, false))).isEqualTo("a 'b' c's d 't e'f");
    }
}

package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.chat.ChatMessage;
import dev.cairn.engine.ModelBundle;
import dev.cairn.model.KvCache;
import dev.cairn.server.FamilyModels.Family;
import dev.cairn.server.FamilyModels.Special;
import dev.cairn.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The family test models load with the real loader and behave, token for token, like their real families. */
class FamilyModelsTest {
    static final Map<Family, ModelBundle> BUNDLES = new EnumMap<>(Family.class);

    /** The end-of-generation tokens llama.cpp finds in each real family's vocabulary. */
    static final Map<Family, Set<String>> END_OF_GENERATION = Map.of(
            Family.QWEN25, Set.of("<|im_end|>", "<|endoftext|>"),
            Family.QWEN3, Set.of("<|im_end|>", "<|endoftext|>"),
            Family.LLAMA31, Set.of("<|eot_id|>", "<|eom_id|>", "<|end_of_text|>"),
            Family.MISTRAL_NEMO, Set.of("</s>"),
            Family.HERMES3, Set.of("<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>"));

    @BeforeAll
    static void load() {
        for (Family f : Family.values()) {
            BUNDLES.put(f, FamilyModels.load(f, 512));
        }
    }

    @AfterAll
    static void close() {
        BUNDLES.values().forEach(ModelBundle::close);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void everySpecialTokenIsOneTokenThatDecodesToItsText(Family family) {
        Tokenizer tok = BUNDLES.get(family).tokenizer();
        for (Special s : family.specials()) {
            int[] ids = tok.encode(s.text(), false, true);
            assertThat(ids).as(s.text()).hasSize(1);
            assertThat(tok.tokenText(ids[0])).isEqualTo(s.text());
            assertThat(tok.decode(ids)).isEqualTo(s.text());
            assertThat(streamDecode(tok, ids)).isEqualTo(s.text());
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void controlTokensStayTextWithoutParseSpecialAndUserDefinedOnesDoNot(Family family) {
        Tokenizer tok = BUNDLES.get(family).tokenizer();
        for (Special s : family.specials()) {
            int[] ids = tok.encode(s.text(), false, false);
            if (s.type() == FamilyModels.USER_DEFINED) {
                assertThat(ids).as(s.text()).hasSize(1);
            } else {
                assertThat(ids).as(s.text()).hasSizeGreaterThan(1);
                assertThat(tok.decode(ids)).isEqualTo(s.text());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void endOfGenerationTokensAreTheFamilysOwn(Family family) {
        Tokenizer tok = BUNDLES.get(family).tokenizer();
        Set<String> eog = java.util.stream.IntStream.range(0, tok.vocabSize()).filter(tok::isEndOfGeneration)
                .mapToObj(tok::tokenText).collect(Collectors.toSet());
        assertThat(eog).isEqualTo(END_OF_GENERATION.get(family));
        assertThat(tok.tokenText(tok.eosId())).isEqualTo(family.eosText());
        assertThat(tok.tokenText(tok.bosId())).isEqualTo(family.bosText());
        assertThat(BUNDLES.get(family).template().bosToken()).isEqualTo(family.bosText());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void anyTextTokenizesIntoBaseTokensAndDecodesBack(Family family) {
        Tokenizer tok = BUNDLES.get(family).tokenizer();
        Set<Integer> specialIds = family.specials().stream()
                .map(s -> tok.encode(s.text(), false, true)[0]).collect(Collectors.toSet());
        String text = "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Zürich\", \"days\": 3, \"ok\": true, "
                + "\"tags\": [null, -1.5e3]}}\n\tÆ 中文 🙂 <tool_call [INST";
        int[] ids = tok.encode(text, false, false);
        assertThat(ids).isNotEmpty().doesNotContain(specialIds.stream().mapToInt(Integer::intValue).toArray());
        assertThat(streamDecode(tok, ids)).isEqualTo(text);
        // Merges are kept, so common words are single tokens rather than bytes.
        assertThat(tok.encode(" the", false, false)).hasSize(1);
        assertThat(tok.vocabSize()).isBetween(FamilyModels.BASE_TOKENS, FamilyModels.BASE_TOKENS + 30);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theTemplateRendersAndItsMarkupTokenizesIntoSpecialTokens(Family family) {
        ModelBundle b = BUNDLES.get(family);
        String prompt = b.template().render(List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hello?")), true, Map.of());
        assertThat(prompt).contains("Hello?");
        int[] ids = b.tokenizer().encode(prompt, false, true);
        List<String> specialsInPrompt = Arrays.stream(ids).mapToObj(b.tokenizer()::tokenText)
                .filter(family.specialTexts()::contains).toList();
        List<String> chatMl = List.of("<|im_start|>", "<|im_end|>", "<|im_start|>", "<|im_end|>", "<|im_start|>");
        List<String> expected = switch (family) {
            case QWEN25, QWEN3 -> chatMl;
            // The tool_use template always opens with its own system turn, which shows the call format.
            case HERMES3 -> concat(List.of("<|begin_of_text|>", "<|im_start|>", "<tool_call>", "</tool_call>",
                    "<tool_call>", "</tool_call>", "<|im_end|>"), chatMl);
            case LLAMA31 -> List.of("<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>",
                    "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|start_header_id|>",
                    "<|end_header_id|>");
            case MISTRAL_NEMO -> List.of("<s>", "[INST]", "[/INST]");
        };
        assertThat(specialsInPrompt).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theModelRunsOverTheWholeVocabulary(Family family) {
        ModelBundle b = BUNDLES.get(family);
        int[] prompt = b.tokenizer().encode("<tool_call>{\"a\": 1}", true, true);
        KvCache cache = b.model().newCache(512);
        float[] logits = b.model().forward(cache, prompt, 0, prompt.length, true);
        assertThat(logits).hasSize(b.tokenizer().vocabSize());
        for (float l : logits) {
            assertThat(Float.isFinite(l)).isTrue();
        }
    }

    @Test
    void filesAreDeterministic(@TempDir Path dir) throws IOException {
        Path again = FamilyModels.write(Family.LLAMA31, Files.createDirectory(dir.resolve("again")));
        assertThat(Files.mismatch(again, FamilyModels.file(Family.LLAMA31))).isEqualTo(-1L);
    }

    @Test
    void familiesDifferInWeightsAndVocabulary() throws IOException {
        assertThat(Files.mismatch(FamilyModels.file(Family.QWEN25), FamilyModels.file(Family.QWEN3)))
                .isNotEqualTo(-1L);
        assertThat(BUNDLES.get(Family.QWEN25).tokenizer().vocabSize())
                .isLessThan(BUNDLES.get(Family.QWEN3).tokenizer().vocabSize());
    }

    private static String streamDecode(Tokenizer tok, int[] ids) {
        var dec = tok.newDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(dec.push(id));
        }
        return sb.append(dec.flush()).toString();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

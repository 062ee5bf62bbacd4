package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.gguf.GgufArray;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufValueType;
import dev.cairn.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplatesTest {
    private static final List<ChatMessage> CHAT = List.of(
            new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello"), new ChatMessage("user", "Bye"));

    @TempDir
    Path dir;

    private Path gguf(String name, String template, String... tokens) {
        Path p = dir.resolve(name);
        try (GgufWriter w = GgufWriter.create(p)) {
            w.putString("general.architecture", "llama");
            w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens));
            w.putUInt32("tokenizer.ggml.bos_token_id", 1);
            w.putUInt32("tokenizer.ggml.eos_token_id", 2);
            if (template != null) {
                w.putString("tokenizer.chat_template", template);
            }
        }
        return p;
    }

    @Test
    void usesTheModelsTemplateWithBosAndEosTextFromTheVocabulary() {
        Path p = gguf("own.gguf", "{{ bos_token }}{% for m in messages %}{{ m.role }}={{ m.content }}{{ eos_token }}{% endfor %}",
                "<unk>", "<|begin|>", "<|end|>", "a");
        try (GgufFile f = GgufFile.open(p)) {
            ChatTemplate t = ChatTemplates.forGguf(f);
            assertThat(t.bosToken()).isEqualTo("<|begin|>");
            assertThat(t.eosToken()).isEqualTo("<|end|>");
            assertThat(t.render(CHAT.subList(0, 2), true, Map.of()))
                    .isEqualTo("<|begin|>system=Be brief.<|end|>user=Hi<|end|>");
        }
    }

    @Test
    void fallsBackToChatMlWhenTheVocabularyHasItsTokens() {
        Path p = gguf("chatml.gguf", null, "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>");
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(ChatTemplates.forGguf(f).render(CHAT, true, Map.of())).isEqualTo("""
                    <|im_start|>system
                    Be brief.<|im_end|>
                    <|im_start|>user
                    Hi<|im_end|>
                    <|im_start|>assistant
                    Hello<|im_end|>
                    <|im_start|>user
                    Bye<|im_end|>
                    <|im_start|>assistant
                    """);
        }
    }

    @Test
    void fallsBackToPlainTextTurnsOtherwise() {
        Path p = gguf("plain.gguf", "", "<unk>", "<s>", "</s>", "<|im_start|>");
        try (GgufFile f = GgufFile.open(p)) {
            ChatTemplate t = ChatTemplates.forGguf(f);
            assertThat(t.render(CHAT, true, Map.of()))
                    .isEqualTo("System: Be brief.\nUser: Hi\nAssistant: Hello\nUser: Bye\nAssistant:");
            assertThat(t.render(CHAT.subList(1, 2), false, Map.of())).isEqualTo("User: Hi\n");
        }
    }

    @Test
    void anUnparsableModelTemplateFailsOnRenderNotOnLoad() {
        Path p = gguf("broken.gguf", "{% for m in messages %}{{ m.content }}", "<unk>", "<s>", "</s>");
        try (GgufFile f = GgufFile.open(p)) {
            ChatTemplate t = ChatTemplates.forGguf(f);
            assertThat(t.bosToken()).isEqualTo("<s>");
            assertThatThrownBy(() -> t.render(CHAT, true, Map.of()))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("the model's chat template cannot be used")
                    .hasMessageContaining("endfor");
        }
    }

    @Test
    void fallbackChoiceNeedsBothChatMlTokens() {
        assertThat(ChatTemplates.fallbackFor(new String[] {"<|im_start|>", "<|im_end|>"})).isEqualTo(ChatTemplates.CHATML);
        assertThat(ChatTemplates.fallbackFor(new String[] {"<|im_end|>"})).isEqualTo(ChatTemplates.PLAIN_TEXT);
        assertThat(ChatTemplates.fallbackFor(null)).isEqualTo(ChatTemplates.PLAIN_TEXT);
    }
}

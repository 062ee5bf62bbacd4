package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import dev.cairn.engine.EngineOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI and Anthropic Java SDKs, unmodified and with strict response validation, pointed at the server:
 * they parse every response and every stream (progress comments included) without complaint.
 */
class SdkClientsTest {
    static final String KEY = "sdk-test-key";
    static ServerFixture fx;
    static OpenAIClient openai;
    static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 8, 1024, 1),
                ServerOptions.defaults().withApiKey(KEY));
        openai = fx.openAi(KEY);
        anthropic = fx.anthropic(KEY);
    }

    @AfterAll
    static void stop() {
        openai.close();
        anthropic.close();
        fx.close();
    }

    static ChatCompletionCreateParams.Builder chat(String text, int maxTokens) {
        return ChatCompletionCreateParams.builder().model("whatever").addSystemMessage("You are terse.")
                .addUserMessage(text).maxCompletionTokens(maxTokens).temperature(0.0);
    }

    @Test
    void openAiChatNonStreaming() {
        ChatCompletion c = openai.chat().completions().create(chat("Tell me about stones", 6).build());
        assertThat(c.id()).startsWith("chatcmpl-");
        assertThat(c.model()).isEqualTo(fx.server.modelId());
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(c.choices().getFirst().message().content()).isPresent();
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(6);
        assertThat(c.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).isPresent();
    }

    @Test
    void openAiChatStreamingWithUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (var stream = openai.chat().completions().createStreaming(chat("Tell me about rivers", 5)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk c : chunks) {
            for (ChatCompletionChunk.Choice ch : c.choices()) {
                ch.delta().content().ifPresent(text::append);
            }
        }
        ChatCompletionChunk fin = chunks.get(chunks.size() - 2);
        assertThat(fin.choices().getFirst().finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        ChatCompletionChunk usage = chunks.getLast();
        assertThat(usage.choices()).isEmpty();
        assertThat(usage.usage().orElseThrow().completionTokens()).isEqualTo(5);
        // the streamed text equals the non-streamed text for the same greedy request
        ChatCompletion whole = openai.chat().completions().create(chat("Tell me about rivers", 5).build());
        assertThat(text.toString()).isEqualTo(whole.choices().getFirst().message().content().orElseThrow());
    }

    @Test
    void openAiStreamWithNamedEventsIsWhatBreaksTheSdkSoItIsOptIn() {
        // The default stream (comments) parses.
        try (var stream = openai.chat().completions().createStreaming(chat("hello", 3).build())) {
            assertThat(stream.stream().count()).isGreaterThanOrEqualTo(2);
        }
        // Opting in to named progress events is what the SDK cannot read: it fails on the first one.
        OpenAIClient named = OpenAIOkHttpClient.builder().baseUrl(fx.base() + "/v1").apiKey(KEY).maxRetries(0)
                .responseValidation(true).putHeader("X-Prefill-Progress", "events").build();
        try (var stream = named.chat().completions().createStreaming(chat("hello", 3).build())) {
            // the progress event's data is taken for a chunk, and strict validation rejects it
            assertThatThrownBy(() -> stream.stream().count())
                    .isInstanceOf(com.openai.errors.OpenAIInvalidDataException.class).hasMessageContaining("is not set");
        } finally {
            named.close();
        }
    }

    @Test
    void openAiCompletionsBothWays() {
        CompletionCreateParams params = CompletionCreateParams.builder().model("x").prompt("Once upon a time")
                .maxTokens(5).temperature(0.0).build();
        Completion c = openai.completions().create(params);
        assertThat(c.id()).startsWith("cmpl-");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
        StringBuilder text = new StringBuilder();
        // OpenAI's own legacy-completions stream has "finish_reason": null until the last chunk, which the SDK's
        // strict validation (generated from a spec that says non-null) rejects; the plain client reads it fine.
        OpenAIClient lenient = OpenAIOkHttpClient.builder().baseUrl(fx.base() + "/v1").apiKey(KEY).maxRetries(0).build();
        try (var stream = lenient.completions().createStreaming(params)) {
            stream.stream().forEach(ch -> ch.choices().forEach(x -> text.append(x.text())));
        } finally {
            lenient.close();
        }
        assertThat(text.toString()).isEqualTo(c.choices().getFirst().text());
    }

    @Test
    void openAiListsTheModel() {
        List<Model> models = openai.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(fx.server.modelId());
    }

    @Test
    void openAiRetrievesTheModelAndGets404ForAnother() {
        Model m = openai.models().retrieve(fx.server.modelId());
        assertThat(m.id()).isEqualTo(fx.server.modelId());
        assertThat(m.ownedBy()).isEqualTo("cairn");
        assertThatThrownBy(() -> openai.models().retrieve("gpt-nothing"))
                .isInstanceOf(com.openai.errors.NotFoundException.class).hasMessageContaining(fx.server.modelId());
    }

    @Test
    void openAiSeesErrorsAsTypedExceptions() {
        assertThatThrownBy(() -> openai.chat().completions().create(chat("hi", 3).n(2).build()))
                .isInstanceOf(com.openai.errors.BadRequestException.class).hasMessageContaining("'n' must be 1");
        OpenAIClient wrongKey = OpenAIOkHttpClient.builder().baseUrl(fx.base() + "/v1").apiKey("nope").maxRetries(0).build();
        assertThatThrownBy(() -> wrongKey.models().list())
                .isInstanceOf(com.openai.errors.UnauthorizedException.class);
        wrongKey.close();
    }

    static MessageCreateParams.Builder message(String text, int maxTokens) {
        return MessageCreateParams.builder().model("claude-whatever").maxTokens(maxTokens).system("Be terse.")
                .addUserMessage(text).putAdditionalBodyProperty("temperature", JsonValue.from(0));
    }

    @Test
    void anthropicNonStreaming() {
        Message m = anthropic.messages().create(message("Tell me about hills", 6).build());
        assertThat(m.id()).startsWith("msg_");
        assertThat(m.model().asString()).isEqualTo(fx.server.modelId());
        assertThat(m.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(m.content()).hasSize(1);
        assertThat(m.content().getFirst().isText()).isTrue();
        assertThat(m.usage().outputTokens()).isEqualTo(6);
        assertThat(m.usage().cacheReadInputTokens()).isPresent();
    }

    @Test
    void anthropicStreamingAccumulatesToTheSameMessage() {
        MessageAccumulator acc = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages()
                .createStreaming(message("Tell me about clouds", 5).build())) {
            stream.stream().forEach(e -> {
                events.add(e);
                acc.accumulate(e);
            });
        }
        assertThat(events.getFirst().isMessageStart()).isTrue();
        assertThat(events.getLast().isMessageStop()).isTrue();
        Message streamed = acc.message();
        assertThat(streamed.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(streamed.usage().outputTokens()).isEqualTo(5);
        Message whole = anthropic.messages().create(message("Tell me about clouds", 5).build());
        assertThat(streamed.content().getFirst().asText().text()).isEqualTo(whole.content().getFirst().asText().text());
    }

    @Test
    void anthropicListsTheModel() {
        assertThat(anthropic.models().list().data()).extracting(m -> m.id()).containsExactly(fx.server.modelId());
    }

    @Test
    void anthropicRetrievesTheModel() {
        var m = anthropic.models().retrieve(fx.server.modelId());
        assertThat(m.id()).isEqualTo(fx.server.modelId());
        assertThat(m.displayName()).isEqualTo(fx.server.modelId());
        assertThatThrownBy(() -> anthropic.models().retrieve("claude-nothing"))
                .isInstanceOf(com.anthropic.errors.NotFoundException.class);
    }

    @Test
    void anthropicStopSequence() {
        String full = anthropic.messages().create(message("Tell me about stones", 12).build())
                .content().getFirst().asText().text();
        assertThat(full.length()).isGreaterThan(6);
        String stop = full.substring(3, 6);
        Message m = anthropic.messages().create(message("Tell me about stones", 12).stopSequences(List.of(stop)).build());
        assertThat(m.stopReason()).contains(StopReason.STOP_SEQUENCE);
        assertThat(m.stopSequence()).contains(stop);
        assertThat(m.content().getFirst().asText().text()).isEqualTo(full.substring(0, full.indexOf(stop)));
    }

    @Test
    void anthropicSeesErrorsAsTypedExceptions() {
        assertThatThrownBy(() -> anthropic.messages().create(message("hi", 3)
                .stopSequences(List.of("x")).putAdditionalBodyProperty("top_p", JsonValue.from(7)).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("top_p");
    }
}

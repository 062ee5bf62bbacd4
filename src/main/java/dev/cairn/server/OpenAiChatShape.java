package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.EngineEvent;

/** chat.completion and chat.completion.chunk exactly as OpenAI shapes them. */
final class OpenAiChatShape extends ResponseShape {
    OpenAiChatShape(String id, String model, ApiRequest request, int promptTokens) {
        super(id, model, request, promptTokens);
    }

    @Override
    String progressChunk(EngineEvent.PrefillProgress p) {
        if (!request.returnProgress()) {
            return "";
        }
        // llama.cpp's shape: a role delta chunk carrying prompt_progress.
        ObjectNode chunk = OpenAiJson.header(id, "chat.completion.chunk", created, model, false);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("finish_reason", (String) null);
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").putNull("content");
        chunk.set("prompt_progress", OpenAiJson.llamaProgress(p));
        return Sse.data(chunk);
    }

    @Override
    String answerStarted() {
        ObjectNode delta = Json.object();
        delta.put("role", "assistant");
        delta.put("content", "");
        delta.putNull("refusal");
        return Sse.data(chunk(delta, null));
    }

    @Override
    String delta(String text) {
        ObjectNode delta = Json.object();
        delta.put("content", text);
        return Sse.data(chunk(delta, null));
    }

    @Override
    String finished(EngineEvent.Done done) {
        return OpenAiJson.streamEnd(chunk(Json.object(), OpenAiJson.finishReason(done)), this, "chat.completion.chunk", done);
    }

    @Override
    String failed(ApiException.Kind kind, String message) {
        return OpenAiJson.streamError(kind, message);
    }

    @Override
    ObjectNode complete(String text, EngineEvent.Done done) {
        ObjectNode root = OpenAiJson.header(id, "chat.completion", created, model, false);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", OpenAiJson.finishReason(done));
        return OpenAiJson.withUsageAndTimings(root, done);
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = OpenAiJson.header(id, "chat.completion.chunk", created, model, true);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (request.includeUsage()) {
            chunk.putNull("usage");
        }
        return chunk;
    }
}

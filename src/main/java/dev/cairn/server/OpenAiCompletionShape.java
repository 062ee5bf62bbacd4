package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.AssistantEvent;
import dev.cairn.engine.EngineEvent;
import java.util.List;

/** text_completion responses and stream chunks as OpenAI's legacy completions API shapes them. */
final class OpenAiCompletionShape extends ResponseShape {
    OpenAiCompletionShape(String id, String model, ApiRequest request, int promptTokens) {
        super(id, model, request, promptTokens);
    }

    @Override
    String progressChunk(EngineEvent.PrefillProgress p) {
        if (!request.returnProgress()) {
            return "";
        }
        ObjectNode chunk = chunk("", null);
        chunk.set("prompt_progress", OpenAiJson.llamaProgress(p));
        return Sse.data(chunk);
    }

    @Override
    String answerStarted() {
        return "";
    }

    /** Raw completions are read as plain text: only text events come. */
    @Override
    String events(List<AssistantEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (AssistantEvent e : events) {
            if (e instanceof AssistantEvent.Text t) {
                sb.append(Sse.data(chunk(t.text(), null)));
            }
        }
        return sb.toString();
    }

    @Override
    String finished(EngineEvent.Done done) {
        return OpenAiJson.streamEnd(chunk("", OpenAiJson.finishReason(done)), this, "text_completion", done);
    }

    @Override
    String failed(ApiException.Kind kind, String message) {
        return OpenAiJson.streamError(kind, message);
    }

    @Override
    ObjectNode complete(Answer answer, EngineEvent.Done done) {
        ObjectNode root = OpenAiJson.header(id, "text_completion", created, model, false);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", answer.text());
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", OpenAiJson.finishReason(done));
        return OpenAiJson.withUsageAndTimings(root, done);
    }

    private ObjectNode chunk(String text, String finishReason) {
        ObjectNode chunk = OpenAiJson.header(id, "text_completion", created, model, true);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (request.includeUsage()) {
            chunk.putNull("usage");
        }
        return chunk;
    }
}

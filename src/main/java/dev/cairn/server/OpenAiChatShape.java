package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.AssistantEvent;
import dev.cairn.engine.EngineEvent;
import java.util.List;

/** chat.completion and chat.completion.chunk exactly as OpenAI shapes them. */
final class OpenAiChatShape extends ResponseShape {
    /** A streamed call was completed: the stream ends with "tool_calls". */
    private boolean calledTools;

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

    /**
     * As OpenAI streams them: text in delta.content, thinking in delta.reasoning_content (DeepSeek's and llama.cpp's
     * field), and each call as delta.tool_calls[{index, id, type, function: {name, arguments: ""}}] once, then
     * delta.tool_calls[{index, function: {arguments: fragment}}].
     */
    @Override
    String events(List<AssistantEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (AssistantEvent e : events) {
            ObjectNode delta = Json.object();
            switch (e) {
                case AssistantEvent.Text t -> delta.put("content", t.text());
                case AssistantEvent.Reasoning r -> delta.put("reasoning_content", r.text());
                case AssistantEvent.ToolCallStart c -> {
                    ObjectNode call = delta.putArray("tool_calls").addObject();
                    call.put("index", c.index());
                    call.put("id", c.id());
                    call.put("type", "function");
                    call.putObject("function").put("name", c.name()).put("arguments", "");
                }
                case AssistantEvent.ToolCallArguments a -> {
                    if (a.fragment().isEmpty()) {
                        continue;
                    }
                    ObjectNode call = delta.putArray("tool_calls").addObject();
                    call.put("index", a.index());
                    call.putObject("function").put("arguments", a.fragment());
                }
                case AssistantEvent.ToolCallEnd ignored -> {
                    calledTools = true;
                    continue;
                }
            }
            sb.append(Sse.data(chunk(delta, null)));
        }
        return sb.toString();
    }

    @Override
    String finished(EngineEvent.Done done) {
        return OpenAiJson.streamEnd(chunk(Json.object(), OpenAiJson.finishReason(done, calledTools)), this,
                "chat.completion.chunk", done);
    }

    @Override
    String failed(ApiException.Kind kind, String message) {
        return OpenAiJson.streamError(kind, message);
    }

    @Override
    ObjectNode complete(Answer answer, EngineEvent.Done done) {
        ObjectNode root = OpenAiJson.header(id, "chat.completion", created, model, false);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String text = answer.text();
        List<Answer.Call> calls = answer.calls();
        // As OpenAI: an answer that only calls tools has null content.
        message.put("content", text.isEmpty() && !calls.isEmpty() ? null : text);
        String reasoning = answer.reasoning();
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning);
        }
        if (!calls.isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (Answer.Call c : calls) {
                ObjectNode call = toolCalls.addObject();
                call.put("id", c.id);
                call.put("type", "function");
                call.putObject("function").put("name", c.name).put("arguments", c.arguments.toString());
            }
        }
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", OpenAiJson.finishReason(done, !calls.isEmpty()));
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

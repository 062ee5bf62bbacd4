package dev.cairn.chat;

import java.util.ArrayList;
import java.util.List;

/** An {@link AssistantParser}: thinking split off first (unless reported inline), then calls read by one format. */
final class FormatParser implements AssistantParser {
    private final ReasoningSplitter reasoning;
    private final AnswerScanner calls;

    /** @param reasoning null to leave thinking inline in the text */
    FormatParser(AnswerScanner calls, ReasoningSplitter reasoning) {
        this.reasoning = reasoning;
        this.calls = calls;
    }

    @Override
    public List<AssistantEvent> push(String text) {
        List<AssistantEvent> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        if (reasoning == null) {
            calls.push(text, out);
        } else {
            reasoning.push(text, out, answer -> calls.push(answer, out));
        }
        return out;
    }

    @Override
    public List<AssistantEvent> finish(boolean truncated) {
        List<AssistantEvent> out = new ArrayList<>();
        if (reasoning != null) {
            reasoning.finish(out, answer -> calls.push(answer, out));
        }
        calls.finish(truncated, out);
        return out;
    }
}

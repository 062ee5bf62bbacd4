package dev.cairn.chat;

import java.util.List;

/** Reads the answer part of a generation (after any thinking) as it streams. */
interface AnswerScanner {
    void push(String text, List<AssistantEvent> out);

    /** @param truncated the generation hit the length limit */
    void finish(boolean truncated, List<AssistantEvent> out);
}

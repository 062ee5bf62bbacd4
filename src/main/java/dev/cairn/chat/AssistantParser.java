package dev.cairn.chat;

import java.util.List;

/**
 * Splits one generation's text, as it streams, into answer text, thinking and tool calls. Text that may be the start
 * of a call or a tag is held back until it is known. Pushing the whole text at once or split anywhere gives the same
 * events once joined. Not thread-safe; one per generation.
 */
public interface AssistantParser {
    /** Feeds newly generated text; returns what is now certain. */
    List<AssistantEvent> push(String text);

    /**
     * The generation ended. {@code truncated}: it hit the length limit; a call still open then is not a call and its
     * text comes out as {@link AssistantEvent.Text}. A malformed call also comes out as text, never as an error.
     */
    List<AssistantEvent> finish(boolean truncated);
}

package dev.cairn.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads one JSON value from a point of streamed text, telling apart "complete", "not finished yet" and "can never be
 * JSON", so a streaming parser knows whether to wait for more text or give up.
 */
final class JsonPrefix {
    static final ObjectMapper MAPPER = new ObjectMapper();

    sealed interface Result {
    }

    /** A whole value; {@code end} is the index just after it. */
    record Complete(JsonNode value, int end) implements Result {
    }

    /** The text so far is the start of a value that is not finished. */
    record Incomplete() implements Result {
    }

    /** No continuation can make this JSON. */
    record Invalid() implements Result {
    }

    private JsonPrefix() {
    }

    static Result read(String text, int from) {
        String rest = text.substring(from);
        if (rest.isBlank()) {
            return new Incomplete();
        }
        try (JsonParser parser = MAPPER.createParser(rest)) {
            JsonNode value = MAPPER.readTree(parser);
            if (value == null) {
                return new Incomplete();
            }
            long end = parser.currentLocation().getCharOffset();
            return new Complete(value, from + (int) end);
        } catch (JsonEOFException e) {
            return new Incomplete();
        } catch (JsonProcessingException e) {
            // A literal cut short ("tru", "nul", "-") is reported as a bad token, not as end of input.
            return cutShortLiteral(rest, e) ? new Incomplete() : new Invalid();
        } catch (IOException e) {
            return new Invalid();
        }
    }

    /** Whether the error is only that the text stops early (Jackson reports some such ends as bad tokens). */
    private static boolean cutShortLiteral(String rest, JsonProcessingException e) {
        if (e.getLocation() == null) {
            return false;
        }
        long offset = e.getLocation().getCharOffset();
        if (offset >= rest.length()) {
            return true;
        }
        if (offset < 0) {
            return false;
        }
        String tail = rest.substring((int) offset);
        return "true".startsWith(tail) || "false".startsWith(tail) || "null".startsWith(tail) || tail.equals(".");
    }

    /** Compact JSON text of a value, as the arguments of a call are reported. */
    static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@value #CAPACITY} Responses API answers (those not sent with store: false), in memory only, for
 * previous_response_id and GET /v1/responses/{id}. The oldest is dropped first.
 */
final class ResponseStore {
    static final int CAPACITY = 100;

    /** A kept response: the object as sent, and the conversation up to and including its answer. */
    record Stored(ObjectNode response, List<ChatMessage> history) {
    }

    private final Map<String, Stored> byId = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void put(String id, Stored stored) {
        byId.put(id, stored);
    }

    synchronized Stored get(String id) {
        return byId.get(id);
    }
}

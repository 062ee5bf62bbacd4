package dev.cairn.engine;

import java.util.List;

/**
 * Finds stop strings in streamed text. Text that could still become the start of a stop string is held back until
 * it is decided, so neither a stop string nor anything after it is ever emitted.
 */
public final class StopMatcher {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private String matched;

    public StopMatcher(List<String> stops) {
        this.stops = stops == null ? List.of() : stops.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    /**
     * Adds newly generated text and returns the part that is now safe to emit. Once a stop string is found,
     * {@link #matched()} returns it, the returned text ends right before it, and further input is ignored.
     */
    public String push(String text) {
        if (matched != null) {
            return "";
        }
        held.append(text);
        if (stops.isEmpty()) {
            return drain(held.length());
        }
        int first = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (first < 0 || at < first || (at == first && s.length() > matched.length()))) {
                first = at;
                matched = s;
            }
        }
        if (first >= 0) {
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        return drain(held.length() - longestPendingPrefix());
    }

    /** The stop string found, or null. */
    public String matched() {
        return matched;
    }

    /** At the end of generation: whatever was held back (nothing after a stop string matched). */
    public String flush() {
        return drain(held.length());
    }

    /** Length of the longest end of the held text that is a proper start of some stop string. */
    private int longestPendingPrefix() {
        int best = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, held.length()); k > best; k--) {
                if (endsWith(s, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    private boolean endsWith(String stop, int k) {
        int base = held.length() - k;
        for (int i = 0; i < k; i++) {
            if (held.charAt(base + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String drain(int n) {
        String out = held.substring(0, n);
        held.delete(0, n);
        return out;
    }
}

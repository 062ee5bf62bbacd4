package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SSE body lines grouped into frames (a frame ends at a blank line), for exact wire checks. */
record Frames(List<Frame> frames) {
    record Frame(List<String> lines) {
        boolean isComment(String name) {
            return lines.size() == 1 && lines.getFirst().startsWith(": " + name + " ");
        }

        JsonNode commentJson() {
            String l = lines.getFirst();
            return parse(l.substring(l.indexOf('{')));
        }

        String event() {
            return lines.getFirst().startsWith("event: ") ? lines.getFirst().substring(7) : null;
        }

        String data() {
            for (String l : lines) {
                if (l.startsWith("data: ")) {
                    return l.substring(6);
                }
            }
            return null;
        }

        JsonNode dataJson() {
            return parse(data());
        }
    }

    /** Groups lines; fails if a frame is not terminated by a blank line (every frame must end with "\n\n"). */
    static Frames of(List<String> lines) {
        List<Frame> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : lines) {
            if (l.isEmpty()) {
                if (cur.isEmpty()) {
                    throw new AssertionError("empty frame (two blank lines in a row) in " + lines);
                }
                out.add(new Frame(List.copyOf(cur)));
                cur.clear();
            } else {
                cur.add(l);
            }
        }
        if (!cur.isEmpty()) {
            throw new AssertionError("unterminated frame " + cur);
        }
        return new Frames(out);
    }

    List<Frame> comments(String name) {
        return frames.stream().filter(f -> f.isComment(name)).toList();
    }

    List<Frame> events(String name) {
        return frames.stream().filter(f -> name.equals(f.event())).toList();
    }

    List<Frame> data() {
        return frames.stream().filter(f -> f.event() == null && f.data() != null).toList();
    }

    int indexOf(Frame f) {
        return frames.indexOf(f);
    }

    static JsonNode parse(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}

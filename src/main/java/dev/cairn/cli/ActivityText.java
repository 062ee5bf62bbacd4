package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@code cairn ps} and {@code cairn top} write a request's state: table rows, and lines with a bar. */
final class ActivityText {
    static final List<String> HEADER = List.of("ID", "PHASE", "ENDPOINT", "CLIENT", "USER AGENT", "PROMPT", "CACHED",
            "GENERATED", "TOK/S", "AGE");

    private ActivityText() {
    }

    /** One table row: the columns of {@link #HEADER}. */
    static List<String> row(JsonNode s) {
        String phase = s.path("phase").asText();
        if (phase.equals("queued") && s.path("position").asInt() > 0) {
            phase = "queued #" + s.path("position").asInt();
        }
        Double rate = phase.equals("prefill") ? number(s, "prefill_tokens_per_second")
                : number(s, "decode_tokens_per_second");
        return List.of(s.path("id").asText(), phase, text(s, "endpoint"), text(s, "client"), text(s, "user_agent"),
                s.path("processed_tokens").asInt() + "/" + s.path("prompt_tokens").asInt(),
                Integer.toString(s.path("cached_tokens").asInt()), Integer.toString(s.path("generated_tokens").asInt()),
                rate == null ? "-" : String.format(Locale.ROOT, "%.1f", rate),
                ProgressBar.duration(s.path("elapsed_ms").asLong()));
    }

    /** Rows under a header, each column as wide as its widest cell. */
    static String table(List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(HEADER);
        all.addAll(rows);
        int[] width = new int[HEADER.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + width[i] + "s", r.get(i))).append(i < r.size() - 1 ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** Who sent it: "chatcmpl-… /v1/chat/completions from 127.0.0.1 (curl/8.5.0)". */
    static String title(JsonNode s) {
        String agent = text(s, "user_agent");
        return s.path("id").asText() + "  " + text(s, "endpoint") + " from " + text(s, "client")
                + (agent.equals("-") ? "" : " (" + agent + ")");
    }

    /** Where it is, with a prefill bar when {@code bars}: "Prompt ▕███  ▏ 120/300 tok  40%  95 tok/s  ETA 2s". */
    static String progress(JsonNode s, boolean bars) {
        int processed = s.path("processed_tokens").asInt();
        int total = s.path("prompt_tokens").asInt();
        int cached = s.path("cached_tokens").asInt();
        int generated = s.path("generated_tokens").asInt();
        String cachedNote = cached > 0 ? "  (" + cached + " cached)" : "";
        return switch (s.path("phase").asText()) {
            case "queued" -> s.path("position").asInt() > 0 ? "Queued: position " + s.path("position").asInt()
                    : "Queued";
            case "prefill" -> (bars ? ProgressBar.render("Prompt", processed, total, number(s,
                    "prefill_tokens_per_second"), eta(s), ProgressBar.Unit.TOKENS, 24)
                    : "Prompt " + processed + "/" + total + " tok" + rate(number(s, "prefill_tokens_per_second")))
                    + cachedNote;
            case "decode" -> "Decoding: " + generated + " tok" + rate(number(s, "decode_tokens_per_second"))
                    + "  (prompt " + total + " tok" + (cached > 0 ? ", " + cached + " cached" : "") + ")";
            case "failed" -> "Failed: " + text(s, "error");
            default -> cap(s.path("phase").asText()) + ": " + total + " prompt + " + generated + " generated tok"
                    + rate(number(s, "decode_tokens_per_second")) + "  in "
                    + ProgressBar.duration(s.path("elapsed_ms").asLong())
                    + (s.path("finish_reason").isTextual() && !s.path("phase").asText().equals("cancelled")
                    ? "  (" + s.path("finish_reason").asText() + ")" : "");
        };
    }

    private static Long eta(JsonNode s) {
        return s.path("eta_ms").isNumber() ? s.path("eta_ms").asLong() : null;
    }

    private static String rate(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "  %.1f tok/s", r);
    }

    private static Double number(JsonNode s, String field) {
        return s.path(field).isNumber() ? s.path(field).asDouble() : null;
    }

    private static String text(JsonNode s, String field) {
        return s.path(field).isTextual() && !s.path(field).asText().isBlank() ? s.path(field).asText() : "-";
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

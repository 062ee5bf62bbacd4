package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a parser's events add up to, and the checks every format shares: the whole output, the output pushed one
 * character at a time and the output split in two at every index must add up to the same answer, and the events of
 * each call must come in order (start, arguments, end) with indices from 0.
 */
record ParsedAnswer(String text, String reasoning, List<ToolCall> calls) {
    static final String OPENAI_ID = "call_[A-Za-z0-9]{24}";

    static ParsedAnswer of(List<AssistantEvent> events) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder arguments = null;
        String id = null;
        String name = null;
        for (AssistantEvent event : events) {
            switch (event) {
                case AssistantEvent.Text t -> {
                    assertThat(arguments).as("text inside a call").isNull();
                    text.append(t.text());
                }
                case AssistantEvent.Reasoning r -> reasoning.append(r.text());
                case AssistantEvent.ToolCallStart s -> {
                    assertThat(arguments).as("call started inside a call").isNull();
                    assertThat(s.index()).isEqualTo(calls.size());
                    arguments = new StringBuilder();
                    id = s.id();
                    name = s.name();
                }
                case AssistantEvent.ToolCallArguments a -> {
                    assertThat(arguments).as("arguments outside a call").isNotNull();
                    assertThat(a.index()).isEqualTo(calls.size());
                    arguments.append(a.fragment());
                }
                case AssistantEvent.ToolCallEnd e -> {
                    assertThat(arguments).as("end outside a call").isNotNull();
                    assertThat(e.index()).isEqualTo(calls.size());
                    calls.add(new ToolCall(id, name, arguments.toString()));
                    arguments = null;
                }
            }
        }
        assertThat(arguments).as("call left open").isNull();
        return new ParsedAnswer(text.toString(), reasoning.toString(), calls);
    }

    /** Parses {@code output} whole and in every split; asserts they agree and returns the answer. */
    static ParsedAnswer parse(Supplier<AssistantParser> parsers, String output, boolean truncated) {
        ParsedAnswer whole = run(parsers.get(), List.of(output), truncated);
        List<String> chars = output.codePoints().mapToObj(Character::toString).toList();
        assertThat(run(parsers.get(), chars, truncated).withoutIds()).as("one character at a time")
                .isEqualTo(whole.withoutIds());
        for (int k = 1; k < output.length(); k++) {
            if (Character.isLowSurrogate(output.charAt(k))) {
                continue;
            }
            ParsedAnswer split = run(parsers.get(), List.of(output.substring(0, k), output.substring(k)), truncated);
            assertThat(split.withoutIds()).as("split at %d", k).isEqualTo(whole.withoutIds());
        }
        return whole;
    }

    static ParsedAnswer parse(Supplier<AssistantParser> parsers, String output) {
        return parse(parsers, output, false);
    }

    private static ParsedAnswer run(AssistantParser parser, List<String> pieces, boolean truncated) {
        List<AssistantEvent> events = new ArrayList<>();
        for (String piece : pieces) {
            events.addAll(parser.push(piece));
        }
        events.addAll(parser.finish(truncated));
        return of(events);
    }

    /** The same answer with generated ids blanked, so two runs compare equal. */
    ParsedAnswer withoutIds() {
        return new ParsedAnswer(text, reasoning, calls.stream()
                .map(c -> new ToolCall(generated(c.id()) ? "generated" : c.id(), c.name(), c.arguments()))
                .toList());
    }

    private static boolean generated(String id) {
        return id.matches(OPENAI_ID) || id.matches("[A-Za-z0-9]{9}");
    }

    List<String> names() {
        return calls.stream().map(ToolCall::name).toList();
    }

    List<String> arguments() {
        return calls.stream().map(ToolCall::arguments).toList();
    }
}

package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopMatcherTest {
    @Test
    void passesTextThroughWithoutStops() {
        StopMatcher m = new StopMatcher(List.of());
        assertThat(m.push("hello ")).isEqualTo("hello ");
        assertThat(m.push("world")).isEqualTo("world");
        assertThat(m.flush()).isEmpty();
        assertThat(m.matched()).isNull();
    }

    @Test
    void holdsBackAPossibleStartUntilDecided() {
        StopMatcher m = new StopMatcher(List.of("END"));
        assertThat(m.push("abc E")).isEqualTo("abc ");
        assertThat(m.push("N")).isEmpty();
        // "ENx" can no longer become "END": released.
        assertThat(m.push("x")).isEqualTo("ENx");
        assertThat(m.matched()).isNull();
    }

    @Test
    void stopSplitOverPiecesIsNotEmittedNorAnythingAfterIt() {
        StopMatcher m = new StopMatcher(List.of("END"));
        StringBuilder out = new StringBuilder();
        for (String piece : List.of("one E", "N", "D two", " three")) {
            out.append(m.push(piece));
        }
        out.append(m.flush());
        assertThat(out.toString()).isEqualTo("one ");
        assertThat(m.matched()).isEqualTo("END");
    }

    @Test
    void earliestOfSeveralStopsWins() {
        StopMatcher m = new StopMatcher(List.of("cd", "b"));
        assertThat(m.push("abcd")).isEqualTo("a");
        assertThat(m.matched()).isEqualTo("b");
    }

    @Test
    void flushReleasesAnUndecidedTailAtTheEnd() {
        StopMatcher m = new StopMatcher(List.of("\n\n"));
        assertThat(m.push("text\n")).isEqualTo("text");
        assertThat(m.flush()).isEqualTo("\n");
    }

    @Test
    void emptyStopStringsAreIgnored() {
        StopMatcher m = new StopMatcher(java.util.Arrays.asList("", null, "x"));
        assertThat(m.push("abc")).isEqualTo("abc");
        assertThat(m.push("yx")).isEqualTo("y");
        assertThat(m.matched()).isEqualTo("x");
    }
}

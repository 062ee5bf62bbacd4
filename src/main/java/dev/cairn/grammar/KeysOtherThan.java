package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * JSON strings without escapes whose text is none of some names: a walk down the names' trie that may leave it at
 * any character and may close the string anywhere except at the end of a name. Keys of extra object members use it,
 * so an extra member can never repeat a declared property.
 */
final class KeysOtherThan {
    private KeysOtherThan() {
    }

    static Grammar grammar(Collection<String> names) {
        boolean asciiOnly = true;
        Node root = new Node();
        for (String n : names) {
            if (n.chars().anyMatch(c -> c >= 128)) {
                asciiOnly = false;
                continue;
            }
            Node v = root;
            for (char c : n.toCharArray()) {
                v = v.children.computeIfAbsent(c, k -> new Node());
            }
            v.terminal = true;
        }
        // A non-ASCII name cannot equal a key made of ASCII characters only: leave those names out of the trie.
        Grammar plainChar = asciiOnly ? JsonGrammars.PLAIN_STRING_CHAR : asciiPlain(new Node());
        Grammar freeRest = sequence(repeat(plainChar, 0, -1), literal("\""));
        return sequence(literal("\""), walk(root, freeRest, asciiOnly));
    }

    private static Grammar walk(Node v, Grammar freeRest, boolean multiByte) {
        List<Grammar> options = new ArrayList<>();
        if (!v.terminal) {
            options.add(literal("\""));
        }
        v.children.forEach((c, child) -> options.add(sequence(literal(String.valueOf(c)), walk(child, freeRest, multiByte))));
        List<Grammar> other = new ArrayList<>();
        other.add(asciiPlain(v));
        if (multiByte) {
            other.add(JsonGrammars.UTF8_MULTI);
        }
        options.add(sequence(choice(other), freeRest));
        return choice(options);
    }

    /** The ASCII characters a plain JSON string may hold (no quote, backslash or control), minus v's children. */
    private static Grammar asciiPlain(Node v) {
        long[] bits = new long[4];
        for (int b = 0x20; b < 0x80; b++) {
            if (b != '"' && b != '\\' && !v.children.containsKey((char) b)) {
                bits[b >> 6] |= 1L << (b & 63);
            }
        }
        return new Grammar.ByteSet(bits);
    }

    private static final class Node {
        final TreeMap<Character, Node> children = new TreeMap<>();
        boolean terminal;
    }
}

package dev.cairn.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A context-free grammar over the bytes of the generated text (UTF-8), built from parts. Immutable; equal grammars
 * are equal values, so compiled forms can be cached by grammar. Recursion (JSON values inside JSON values, recursive
 * schema references) is written with {@link #recursive} and {@link #self}.
 */
public abstract sealed class Grammar permits Grammar.Bytes, Grammar.ByteSet, Grammar.Seq, Grammar.Choice,
        Grammar.Repeat, Grammar.Rec, Grammar.Self {
    /** Longest run of JSON whitespace {@link #whitespace()} allows. */
    public static final int MAX_WHITESPACE = 20;

    private final int hash;
    /** Names of {@link #self} references not bound inside this grammar. */
    final Set<String> free;

    private Grammar(int hash, Set<String> free) {
        this.hash = hash;
        this.free = free;
    }

    /** Exactly this text. */
    public static Grammar literal(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Exactly these bytes. */
    public static Grammar bytes(byte[] bytes) {
        return new Bytes(bytes.clone());
    }

    /** Matches the empty text only. */
    public static Grammar empty() {
        return new Bytes(new byte[0]);
    }

    /** One byte in the inclusive range. */
    public static Grammar byteRange(int from, int to) {
        long[] bits = new long[4];
        for (int b = from; b <= to; b++) {
            bits[b >> 6] |= 1L << (b & 63);
        }
        return new ByteSet(bits);
    }

    /** One byte among the characters of {@code chars} (each below 128). */
    public static Grammar anyOf(String chars) {
        long[] bits = new long[4];
        for (char c : chars.toCharArray()) {
            if (c >= 128) {
                throw new IllegalArgumentException("anyOf takes ASCII characters only");
            }
            bits[c >> 6] |= 1L << (c & 63);
        }
        return new ByteSet(bits);
    }

    /** The parts one after another. */
    public static Grammar sequence(Grammar... parts) {
        return sequence(List.of(parts));
    }

    /** The parts one after another. */
    public static Grammar sequence(List<Grammar> parts) {
        List<Grammar> flat = new ArrayList<>();
        for (Grammar p : parts) {
            if (p instanceof Seq s) {
                flat.addAll(s.parts);
            } else if (!(p instanceof Bytes b && b.bytes.length == 0)) {
                flat.add(p);
            }
        }
        // Adjacent literals merge so that equal texts built differently are equal grammars.
        List<Grammar> merged = new ArrayList<>();
        for (Grammar p : flat) {
            if (p instanceof Bytes b && !merged.isEmpty() && merged.getLast() instanceof Bytes prev) {
                byte[] joined = Arrays.copyOf(prev.bytes, prev.bytes.length + b.bytes.length);
                System.arraycopy(b.bytes, 0, joined, prev.bytes.length, b.bytes.length);
                merged.set(merged.size() - 1, new Bytes(joined));
            } else {
                merged.add(p);
            }
        }
        if (merged.isEmpty()) {
            return empty();
        }
        return merged.size() == 1 ? merged.getFirst() : new Seq(merged);
    }

    /** Any one of the options. */
    public static Grammar choice(Grammar... options) {
        return choice(List.of(options));
    }

    /** Any one of the options. */
    public static Grammar choice(List<Grammar> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("a choice needs at least one option");
        }
        List<Grammar> flat = new ArrayList<>();
        for (Grammar o : options) {
            for (Grammar x : o instanceof Choice c ? c.options : List.of(o)) {
                if (!flat.contains(x)) {
                    flat.add(x);
                }
            }
        }
        return flat.size() == 1 ? flat.getFirst() : new Choice(flat);
    }

    /** {@code part} or nothing. */
    public static Grammar optional(Grammar part) {
        return repeat(part, 0, 1);
    }

    /** {@code part} between {@code min} and {@code max} times ({@code max} -1 = unbounded). */
    public static Grammar repeat(Grammar part, int min, int max) {
        if (min < 0 || (max != -1 && max < min)) {
            throw new IllegalArgumentException("bad repeat bounds " + min + ".." + max);
        }
        if (max == 0) {
            return empty();
        }
        if (min == 1 && max == 1) {
            return part;
        }
        return new Repeat(part, min, max);
    }

    /**
     * A grammar that may refer to itself: inside {@code body}, {@link #self}{@code (name)} stands for the whole
     * {@code recursive(name, body)}.
     */
    public static Grammar recursive(String name, Grammar body) {
        return new Rec(name, body);
    }

    /** The enclosing {@link #recursive} grammar of this name. */
    public static Grammar self(String name) {
        return new Self(name);
    }

    /** JSON whitespace, any amount up to {@link #MAX_WHITESPACE} (bounded, so a model cannot loop on it forever). */
    public static Grammar whitespace() {
        return JsonGrammars.WS;
    }

    /**
     * Any text (valid UTF-8) that does not contain {@code terminator}; the terminator itself is not part of it.
     * The terminator must be ASCII (the tags tool-call formats use are).
     */
    public static Grammar textWithout(String terminator) {
        return JsonGrammars.textWithout(terminator);
    }

    /** Any valid UTF-8 text. */
    public static Grammar anyText() {
        return repeat(JsonGrammars.UTF8_CHAR, 0, -1);
    }

    /** Any JSON string (quotes included): escapes and any Unicode. */
    public static Grammar jsonString() {
        return JsonGrammars.STRING;
    }

    /** Any JSON value. */
    public static Grammar jsonValue() {
        return JsonGrammars.VALUE;
    }

    /** Any JSON object (response_format json_object). */
    public static Grammar jsonObject() {
        return JsonGrammars.OBJECT;
    }

    /**
     * JSON text valid against a JSON schema (strict: any keyword this grammar cannot enforce is refused).
     *
     * @throws SchemaException naming the keyword when the schema uses one this grammar cannot enforce
     */
    public static Grammar jsonSchema(JsonNode schema) {
        return new SchemaGrammar(schema, true).root();
    }

    /**
     * JSON text valid against a JSON schema, ignoring the keywords this grammar cannot enforce (the output then
     * satisfies the rest of the schema).
     *
     * @throws SchemaException when the schema itself is malformed (e.g. a dangling {@code $ref})
     */
    public static Grammar jsonSchemaLenient(JsonNode schema) {
        return new SchemaGrammar(schema, false).root();
    }

    @Override
    public final int hashCode() {
        return hash;
    }

    @Override
    public final boolean equals(Object o) {
        return this == o || (o instanceof Grammar g && g.hash == hash && sameAs(g));
    }

    abstract boolean sameAs(Grammar other);

    private static Set<String> union(List<Grammar> parts) {
        Set<String> free = null;
        for (Grammar p : parts) {
            if (!p.free.isEmpty()) {
                if (free == null) {
                    free = new TreeSet<>();
                }
                free.addAll(p.free);
            }
        }
        return free == null ? Set.of() : Set.copyOf(free);
    }

    static final class Bytes extends Grammar {
        final byte[] bytes;

        Bytes(byte[] bytes) {
            super(Arrays.hashCode(bytes) * 31 + 1, Set.of());
            this.bytes = bytes;
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public String toString() {
            return '"' + new String(bytes, StandardCharsets.UTF_8) + '"';
        }
    }

    /** One byte out of a set. */
    static final class ByteSet extends Grammar {
        final long[] bits;

        ByteSet(long[] bits) {
            super(Arrays.hashCode(bits) * 31 + 2, Set.of());
            this.bits = bits;
        }

        boolean contains(int b) {
            return (bits[b >> 6] >>> (b & 63) & 1) != 0;
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof ByteSet s && Arrays.equals(bits, s.bits);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[");
            for (int b = 0; b < 256; b++) {
                if (contains(b)) {
                    int e = b;
                    while (e + 1 < 256 && contains(e + 1)) {
                        e++;
                    }
                    sb.append(String.format("\\x%02x", b));
                    if (e > b) {
                        sb.append(String.format("-\\x%02x", e));
                    }
                    b = e;
                }
            }
            return sb.append(']').toString();
        }
    }

    static final class Seq extends Grammar {
        final List<Grammar> parts;

        Seq(List<Grammar> parts) {
            super(parts.hashCode() * 31 + 3, union(parts));
            this.parts = List.copyOf(parts);
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof Seq s && parts.equals(s.parts);
        }

        @Override
        public String toString() {
            return "(" + String.join(" ", parts.stream().map(Object::toString).toList()) + ")";
        }
    }

    static final class Choice extends Grammar {
        final List<Grammar> options;

        Choice(List<Grammar> options) {
            super(options.hashCode() * 31 + 4, union(options));
            this.options = List.copyOf(options);
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof Choice c && options.equals(c.options);
        }

        @Override
        public String toString() {
            return "(" + String.join(" | ", options.stream().map(Object::toString).toList()) + ")";
        }
    }

    static final class Repeat extends Grammar {
        final Grammar part;
        final int min;
        final int max;

        Repeat(Grammar part, int min, int max) {
            super((part.hashCode() * 31 + min) * 31 + max + 5, part.free);
            this.part = part;
            this.min = min;
            this.max = max;
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof Repeat r && r.min == min && r.max == max && part.equals(r.part);
        }

        @Override
        public String toString() {
            return part + "{" + min + "," + (max < 0 ? "" : max) + "}";
        }
    }

    static final class Rec extends Grammar {
        final String name;
        final Grammar body;

        Rec(String name, Grammar body) {
            super((name.hashCode() * 31 + body.hashCode()) * 31 + 6, without(body.free, name));
            this.name = Objects.requireNonNull(name);
            this.body = body;
        }

        private static Set<String> without(Set<String> free, String name) {
            if (!free.contains(name)) {
                return free;
            }
            Set<String> s = new TreeSet<>(free);
            s.remove(name);
            return Set.copyOf(s);
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof Rec r && r.name.equals(name) && body.equals(r.body);
        }

        @Override
        public String toString() {
            return "rec " + name + " = " + body;
        }
    }

    static final class Self extends Grammar {
        final String name;

        Self(String name) {
            super(name.hashCode() * 31 + 7, Set.of(name));
            this.name = name;
        }

        @Override
        boolean sameAs(Grammar o) {
            return o instanceof Self s && s.name.equals(name);
        }

        @Override
        public String toString() {
            return "<" + name + ">";
        }
    }
}

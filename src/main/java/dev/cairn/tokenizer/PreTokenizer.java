package dev.cairn.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Byte-level BPE pre-tokenization as llama.cpp does it (unicode_regex_split): the text is cut into words by a list
 * of regexes, each applied to the pieces the previous one produced (matches and the gaps between them both become
 * pieces). The regexes are llama.cpp's, per {@code tokenizer.ggml.pre}.
 *
 * <p>How each regex runs follows llama.cpp exactly, because that decides the result at the edges:
 * <ul>
 * <li>the GPT-2 and Llama-3 regexes run as hand-written splitters (ports of unicode_regex_split_custom_gpt2 and
 * _llama3, including their small departures from the regex: GPT-2's trailing {@code \s+}, Llama-3's handling of a
 * final space);</li>
 * <li>other regexes that use {@code \p{..}} classes run on a "collapsed" text where every non-ASCII code point is
 * replaced by one marker character for its class (letter, number, punctuation, mark, symbol, other; non-ASCII
 * whitespace becomes U+000B), with {@code \p{X}} rewritten to that marker plus its ASCII members. So e.g. '~' is not
 * in {@code \p{S}} here, as in llama.cpp;</li>
 * <li>the remaining regexes run on the code points themselves with non-ASCII whitespace mapped to U+000B (so
 * {@code \s} sees it, as std::wregex does in llama.cpp).</li>
 * </ul>
 * Java's {@code \s} is ASCII-only by default, as std::regex's is; {@code $} is rewritten to {@code \z} because
 * ECMAScript's {@code $} only matches at the very end.
 */
final class PreTokenizer {
    static final String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    static final String LLAMA3_REGEX = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_REGEX = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String PORO_REGEX = " ?[^(\\s|.,!?…。，、।۔،)]+";

    /** The pre-tokenizers llama.cpp knows, by their {@code tokenizer.ggml.pre} names, with the flags it sets for each. */
    enum Type {
        DEFAULT(List.of("default"), true, false, false,
                "[\\p{P}\\$\\+<=>\\^~\\|]+",
                GPT2_REGEX,
                "\\p{N}+",
                "[0-9][0-9][0-9]"),
        LLAMA3(List.of("llama3", "llama-v3", "llama-bpe", "falcon3"), true, true, true,
                LLAMA3_REGEX),
        DEEPSEEK_LLM(List.of("deepseek-llm"), false, false, false,
                "[\r\n]",
                "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
                "\\s?[!-/:-~！-／：-～‘-‟　-。]+",
                "\\s+$",
                "[一-龥ࠀ-一가-퟿]+",
                "\\p{N}+"),
        DEEPSEEK_CODER(List.of("deepseek-coder"), false, false, false,
                "[\r\n]",
                "\\s?\\p{L}+",
                "\\s?\\p{P}+",
                "[一-龥ࠀ-一가-퟿]+",
                "\\p{N}"),
        DEEPSEEK3_LLM(List.of("deepseek-v3"), false, false, false,
                "\\p{N}{1,3}",
                "[一-龥぀-ゟ゠-ヿ]+",
                "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"),
        FALCON(List.of("falcon"), true, false, false,
                "[\\p{P}\\$\\+<=>\\^~\\|`]+",
                GPT2_REGEX,
                "[0-9][0-9][0-9]"),
        MPT(List.of("mpt"), true, false, false,
                GPT2_REGEX),
        STARCODER(List.of("starcoder"), true, false, false,
                "\\p{N}",
                GPT2_REGEX),
        GPT2(List.of("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code", "roberta-bpe"), true, false, false,
                GPT2_REGEX),
        REFACT(List.of("refact"), true, false, false,
                "\\p{N}",
                GPT2_REGEX),
        COMMAND_R(List.of("command-r"), false, false, false,
                "\\p{N}",
                GPT2_REGEX),
        QWEN2(List.of("qwen2", "deepseek-r1-qwen"), false, false, false,
                QWEN2_REGEX),
        MEGREZ(List.of("megrez"), true, false, false,
                QWEN2_REGEX),
        STABLELM2(List.of("stablelm2"), true, false, false,
                QWEN2_REGEX),
        OLMO(List.of("olmo"), true, false, false,
                GPT2_REGEX),
        DBRX(List.of("dbrx"), true, false, false,
                LLAMA3_REGEX),
        SMAUG(List.of("smaug-bpe"), true, false, false,
                LLAMA3_REGEX),
        PORO(List.of("poro-chat"), false, false, false,
                PORO_REGEX),
        CHATGLM4(List.of("chatglm-bpe"), true, false, false,
                LLAMA3_REGEX),
        VIKING(List.of("viking"), false, false, false,
                PORO_REGEX,
                "\\p{N}"),
        JAIS(List.of("jais"), true, false, false,
                GPT2_REGEX),
        TEKKEN(List.of("tekken"), false, true, true,
                "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
        SMOLLM(List.of("smollm"), false, false, false,
                "\\p{N}",
                GPT2_REGEX),
        CODESHELL(List.of("codeshell"), true, false, false,
                "\\p{N}",
                GPT2_REGEX),
        BLOOM(List.of("bloom"), true, false, false,
                PORO_REGEX),
        GPT3_FINNISH(List.of("gpt3-finnish"), true, false, false,
                PORO_REGEX),
        EXAONE(List.of("exaone"), true, false, false,
                "\\p{N}",
                GPT2_REGEX),
        CHAMELEON(List.of("chameleon"), false, true, false,
                "<sentinel:[0-9]+>",
                "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z",
                "([\\t\\n]|    |  )",
                "\\p{N}",
                "[\\p{P}!-/:-@\\[-`{-~]",
                GPT2_REGEX),
        MINERVA(List.of("minerva-7b"), true, false, false,
                "\\p{N}",
                GPT2_REGEX);

        final List<String> names;
        final boolean cleanSpaces;
        final boolean addBos;
        final boolean ignoreMerges;
        final List<String> regexes;

        Type(List<String> names, boolean cleanSpaces, boolean addBos, boolean ignoreMerges, String... regexes) {
            this.names = names;
            this.cleanSpaces = cleanSpaces;
            this.addBos = addBos;
            this.ignoreMerges = ignoreMerges;
            this.regexes = List.of(regexes);
        }

        /** The type for a {@code tokenizer.ggml.pre} value; a missing value means "default", as in llama.cpp. */
        static Type forName(String pre) {
            if (pre == null || pre.isEmpty()) {
                return DEFAULT;
            }
            for (Type t : values()) {
                if (t.names.contains(pre)) {
                    return t;
                }
            }
            return null;
        }

        static String knownNames() {
            return Arrays.stream(values()).flatMap(t -> t.names.stream()).collect(Collectors.joining(", "));
        }
    }

    private static final int OUT_OF_RANGE = -1;
    private static final Map<String, Stage> STAGES = new ConcurrentHashMap<>();

    private final List<Stage> stages;

    PreTokenizer(Type type) {
        this(type.regexes);
    }

    PreTokenizer(List<String> regexes) {
        stages = regexes.stream().map(r -> STAGES.computeIfAbsent(r, Stage::of)).toList();
    }

    /** Splits {@code text} into words (plain text, not yet byte-encoded). */
    List<String> split(String text) {
        Text t = new Text(text);
        IntList offsets = new IntList();
        if (t.cps.length > 0) {
            offsets.add(t.cps.length);
        }
        for (Stage s : stages) {
            offsets = s.split(t, offsets);
        }
        List<String> words = new ArrayList<>(offsets.size());
        int start = 0;
        for (int i = 0; i < offsets.size(); i++) {
            int len = offsets.get(i);
            words.add(new String(t.cps, start, len));
            start += len;
        }
        return words;
    }

    /** The code points of a text with their classes, and the two views the regex stages run on. */
    private static final class Text {
        final int[] cps;
        final int[] flags;
        private String collapsed;
        private String mapped;
        private int[] mappedCharIndex;

        Text(String s) {
            cps = s.codePoints().toArray();
            flags = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                flags[i] = CodepointFlags.of(cps[i]);
            }
        }

        /** One char per code point: ASCII kept, others replaced by their class marker (llama.cpp's text_collapsed). */
        String collapsed() {
            if (collapsed == null) {
                char[] c = new char[cps.length];
                for (int i = 0; i < cps.length; i++) {
                    c[i] = cps[i] < 128 ? (char) cps[i] : collapsedMarker(flags[i]);
                }
                collapsed = new String(c);
            }
            return collapsed;
        }

        /** The code points with non-ASCII whitespace replaced by U+000B. */
        String mapped() {
            if (mapped == null) {
                StringBuilder sb = new StringBuilder(cps.length);
                mappedCharIndex = new int[cps.length + 1];
                for (int i = 0; i < cps.length; i++) {
                    mappedCharIndex[i] = sb.length();
                    int cp = cps[i];
                    sb.appendCodePoint(cp > 0x7F && (flags[i] & CodepointFlags.WHITESPACE) != 0 ? 0x0B : cp);
                }
                mappedCharIndex[cps.length] = sb.length();
                mapped = sb.toString();
            }
            return mapped;
        }

        int cp(int pos, int ini, int end) {
            return pos >= ini && pos < end ? cps[pos] : OUT_OF_RANGE;
        }

        int flags(int pos, int ini, int end) {
            return pos >= ini && pos < end ? flags[pos] : 0;
        }
    }

    static char collapsedMarker(int flags) {
        if ((flags & CodepointFlags.WHITESPACE) != 0) {
            return 0x0B;
        }
        return switch (flags & 0xFF) {
            case CodepointFlags.NUMBER -> 0xD1;
            case CodepointFlags.LETTER -> 0xD2;
            case CodepointFlags.PUNCTUATION -> 0xD3;
            case CodepointFlags.MARK -> 0xD4;
            case CodepointFlags.SYMBOL -> 0xD5;
            default -> 0xD0;
        };
    }

    private sealed interface Stage permits Gpt2Stage, Llama3Stage, RegexStage {
        IntList split(Text t, IntList offsets);

        static Stage of(String regex) {
            if (regex.equals(GPT2_REGEX)) {
                return new Gpt2Stage();
            }
            if (regex.equals(LLAMA3_REGEX)) {
                return new Llama3Stage();
            }
            return RegexStage.of(regex);
        }
    }

    private static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }

    /** Splits one segment [ini, end) of the text into out, as llama.cpp's custom splitters work word by word. */
    private interface SegmentSplitter {
        void split(Text t, int ini, int end, IntList out);
    }

    /** Runs a segment splitter over each of the segments the earlier stages produced (given as lengths). */
    private static IntList eachSegment(Text t, IntList offsets, SegmentSplitter splitter) {
        IntList out = new IntList();
        int start = 0;
        for (int k = 0; k < offsets.size(); k++) {
            int end = start + offsets.get(k);
            splitter.split(t, start, end, out);
            start = end;
        }
        return out;
    }

    /** Port of llama.cpp's unicode_regex_split_custom_gpt2. */
    private record Gpt2Stage() implements Stage {
        @Override
        public IntList split(Text t, IntList offsets) {
            return eachSegment(t, offsets, Gpt2Stage::splitSegment);
        }

        private static void splitSegment(Text t, int ini, int end, IntList out) {
            int prevEnd = ini;
            int pos = ini;
            while (pos < end) {
                int cpt = t.cp(pos, ini, end);
                int flags = t.flags(pos, ini, end);
                int contraction = contractionLength(t, pos, ini, end, false);
                if (contraction > 0) {
                    pos = prevEnd = out.addToken(prevEnd, pos + contraction);
                    continue;
                }
                // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': one run of the class the first code point is in
                int flags2 = cpt == ' ' ? t.flags(pos + 1, ini, end) : flags;
                IntPredicate run = has(flags2, CodepointFlags.LETTER) ? PreTokenizer::isLetter
                        : has(flags2, CodepointFlags.NUMBER) ? PreTokenizer::isNumber
                        : isOther(flags2) ? PreTokenizer::isOther : null;
                if (run != null) {
                    pos = prevEnd = out.addToken(prevEnd, runEnd(t, pos + (cpt == ' ' ? 1 : 0), ini, end, run));
                    continue;
                }
                int ws = 0;
                while (has(t.flags(pos + ws, ini, end), CodepointFlags.WHITESPACE)) {
                    ws++;
                }
                pos = prevEnd = out.addToken(prevEnd, whitespaceTokenEnd(t, pos, ws, ini, end));
            }
        }
    }

    /** Port of llama.cpp's unicode_regex_split_custom_llama3. */
    private record Llama3Stage() implements Stage {
        @Override
        public IntList split(Text t, IntList offsets) {
            return eachSegment(t, offsets, Llama3Stage::splitSegment);
        }

        private static void splitSegment(Text t, int ini, int end, IntList out) {
            int prevEnd = ini;
            int pos = ini;
            while (pos < end) {
                int cpt = t.cp(pos, ini, end);
                int flags = t.flags(pos, ini, end);
                int contraction = contractionLength(t, pos, ini, end, true); // (?i:'s|'t|'re|'ve|'m|'ll|'d)
                if (contraction > 0) {
                    pos = prevEnd = out.addToken(prevEnd, pos + contraction);
                    continue;
                }
                // [^\r\n\p{L}\p{N}]?\p{L}+
                if (!(cpt == '\r' || cpt == '\n' || has(flags, CodepointFlags.NUMBER))) {
                    if (has(flags, CodepointFlags.LETTER) || has(t.flags(pos + 1, ini, end), CodepointFlags.LETTER)) {
                        pos = prevEnd = out.addToken(prevEnd, runEnd(t, pos + 1, ini, end, PreTokenizer::isLetter));
                        continue;
                    }
                }
                if (has(flags, CodepointFlags.NUMBER)) { // \p{N}{1,3}
                    int groupStart = pos;
                    while (has(t.flags(pos, ini, end), CodepointFlags.NUMBER)) {
                        if (++pos - groupStart >= 3) {
                            prevEnd = out.addToken(prevEnd, pos);
                            groupStart = pos;
                        }
                    }
                    prevEnd = out.addToken(prevEnd, pos);
                    continue;
                }
                // ' ?[^\s\p{L}\p{N}]+[\r\n]*' (llama.cpp tests the first code point's flags, not the next one's)
                int flags2 = cpt == ' ' ? t.flags(pos + 1, ini, end) : flags;
                if (!has(flags2, CodepointFlags.WHITESPACE | CodepointFlags.LETTER | CodepointFlags.NUMBER) && flags != 0) {
                    pos = runEnd(t, pos + (cpt == ' ' ? 1 : 0), ini, end, PreTokenizer::isOther);
                    int c2 = t.cp(pos, ini, end);
                    while (c2 == '\r' || c2 == '\n') {
                        c2 = t.cp(++pos, ini, end);
                    }
                    prevEnd = out.addToken(prevEnd, pos);
                    continue;
                }
                int ws = 0;
                int lastLineBreakEnd = 0;
                while (has(t.flags(pos + ws, ini, end), CodepointFlags.WHITESPACE)) {
                    int c2 = t.cp(pos + ws, ini, end);
                    if (c2 == '\r' || c2 == '\n') {
                        lastLineBreakEnd = pos + ws + 1;
                    }
                    ws++;
                }
                if (lastLineBreakEnd > 0) { // \s*[\r\n]+
                    pos = lastLineBreakEnd;
                    prevEnd = out.addToken(prevEnd, pos);
                    continue;
                }
                pos = prevEnd = out.addToken(prevEnd, whitespaceTokenEnd(t, pos, ws, ini, end));
            }
        }
    }

    /**
     * The length (2 or 3) of the contraction 's 't 'm 'd 're 've 'll starting at pos, or 0 if none does;
     * llama3's pattern matches the letters case-insensitively, gpt2's does not.
     */
    private static int contractionLength(Text t, int pos, int ini, int end, boolean ignoreCase) {
        if (t.cp(pos, ini, end) != '\'' || pos + 1 >= end) {
            return 0;
        }
        int next = t.cp(pos + 1, ini, end);
        next = ignoreCase ? Character.toLowerCase(next) : next;
        if (next == 's' || next == 't' || next == 'm' || next == 'd') {
            return 2;
        }
        if (pos + 2 < end) {
            int nn = t.cp(pos + 2, ini, end);
            nn = ignoreCase ? Character.toLowerCase(nn) : nn;
            if ((next == 'r' && nn == 'e') || (next == 'v' && nn == 'e') || (next == 'l' && nn == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    /** Where the run of code points from pos whose flags pass {@code in} ends (out of range fails every class). */
    private static int runEnd(Text t, int pos, int ini, int end, IntPredicate in) {
        while (in.test(t.flags(pos, ini, end))) {
            pos++;
        }
        return pos;
    }

    /**
     * The end of the token at pos once no other rule matched, given the ws whitespace code points there:
     * '\s+(?!\S)' (a run leaves its last space to the next word unless the segment ends), then '\s+', then
     * any single code point.
     */
    private static int whitespaceTokenEnd(Text t, int pos, int ws, int ini, int end) {
        if (ws > 1 && t.cp(pos + ws, ini, end) != OUT_OF_RANGE) {
            return pos + ws - 1;
        }
        return ws > 0 ? pos + ws : pos + 1;
    }

    private static boolean isLetter(int flags) {
        return has(flags, CodepointFlags.LETTER);
    }

    private static boolean isNumber(int flags) {
        return has(flags, CodepointFlags.NUMBER);
    }

    /** Not whitespace, letter or number, and inside the segment (flags 0 means out of range). */
    private static boolean isOther(int flags) {
        return !has(flags, CodepointFlags.WHITESPACE | CodepointFlags.LETTER | CodepointFlags.NUMBER) && flags != 0;
    }

    /** A general regex, run like llama.cpp's unicode_regex_split_stl on the collapsed or the mapped text. */
    private record RegexStage(Pattern pattern, boolean collapsed) implements Stage {
        private static final String[][] CATEGORIES = {
                {"\\p{N}", "\u00D1", "0-9"},
                {"\\p{L}", "\u00D2", "A-Za-z"},
                {"\\p{P}", "\u00D3", "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}"},
                {"\\p{M}", "\u00D4", ""},
                {"\\p{S}", "\u00D5", "\\$\\+<->^`\\|"},
        };

        static RegexStage of(String regex) {
            boolean collapse = Stream.of(CATEGORIES).anyMatch(c -> regex.contains(c[0]));
            String java = collapse ? collapseRegex(regex) : regex;
            if (java.endsWith("$") && !java.endsWith("\\$")) {
                java = java.substring(0, java.length() - 1) + "\\z";
            }
            return new RegexStage(Pattern.compile(java), collapse);
        }

        /** llama.cpp's rewrite of {@code \p{X}} into the marker char plus the ASCII members of X. */
        static String collapseRegex(String re) {
            StringBuilder out = new StringBuilder();
            boolean inside = false;
            for (int i = 0; i < re.length(); i++) {
                char c = re.charAt(i);
                if (c == '[' && (i == 0 || re.charAt(i - 1) != '\\')) {
                    out.append('[');
                    inside = true;
                    continue;
                }
                if (inside && c == ']' && re.charAt(i - 1) != '\\') {
                    out.append(']');
                    inside = false;
                    continue;
                }
                if (c == '\\' && i + 4 < re.length() && re.charAt(i + 1) == 'p' && re.charAt(i + 2) == '{' && re.charAt(i + 4) == '}') {
                    String pat = re.substring(i, i + 5);
                    String[] cat = Stream.of(CATEGORIES).filter(x -> x[0].equals(pat)).findFirst().orElse(null);
                    if (cat != null) {
                        out.append(inside ? "" : "[").append(cat[1]).append(cat[2]).append(inside ? "" : "]");
                        i += 4;
                        continue;
                    }
                }
                out.append(c);
            }
            return out.toString();
        }

        @Override
        public IntList split(Text t, IntList offsets) {
            String text = collapsed ? t.collapsed() : t.mapped();
            int[] charIndex = collapsed ? null : t.mappedCharIndex;
            IntList out = new IntList();
            // A region with opaque, anchoring bounds: lookaheads and \z see the segment as the whole input, as
            // std::regex_iterator over [first, last) does in llama.cpp.
            Matcher m = pattern.matcher(text);
            int start = 0;
            for (int k = 0; k < offsets.size(); k++) {
                int len = offsets.get(k);
                int from = charIndex == null ? start : charIndex[start];
                int to = charIndex == null ? start + len : charIndex[start + len];
                m.region(from, to);
                int done = 0; // code points of this segment already emitted
                int doneChars = from;
                while (m.find()) {
                    int mStart = done + cpCount(text, doneChars, m.start(), charIndex);
                    int mLen = cpCount(text, m.start(), m.end(), charIndex);
                    if (mStart > done) {
                        out.add(mStart - done);
                    }
                    out.add(mLen);
                    done = mStart + mLen;
                    doneChars = m.end();
                }
                if (done < len) {
                    out.add(len - done);
                }
                start += len;
            }
            return out;
        }

        private static int cpCount(String s, int from, int to, int[] charIndex) {
            return charIndex == null ? to - from : s.codePointCount(from, to);
        }
    }
}

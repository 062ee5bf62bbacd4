package dev.cairn.tokenizer;

import dev.cairn.gguf.GgufException;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.Printable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF vocabulary with the flags and special tokens llama.cpp derives from it (llama_vocab::impl::load): token
 * texts, scores, attributes, BOS/EOS/EOT ids, add-BOS/EOS defaults per tokenizer and pre-tokenizer, the
 * end-of-generation set and the special tokens matched verbatim in text.
 */
final class Vocabulary {
    static final int NULL = -1;

    enum Kind { SPM, BPE }

    final Kind kind;
    final String model;
    final PreTokenizer.Type preType;
    final String[] texts;
    final float[] scores;
    final int[] attrs;
    final Map<String, Integer> ids;
    final Map<String, Integer> mergeRanks;
    final int bos;
    final int eos;
    final int unk;
    final int eot;
    final boolean addBos;
    final boolean addEos;
    final boolean addSpacePrefix;
    final boolean cleanSpaces;
    final boolean ignoreMerges;
    final BitSet eog = new BitSet();
    /** Tokens split out of text before tokenizing (control, user-defined, unknown), longest text first. */
    final int[] specialTokens;

    private static final Set<String> EOG_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>");
    /**
     * End-of-generation texts that later llama.cpp builds (mid 2025, e.g. the one behind ../shared/ref/greedy) also
     * stop on. They only join the EOG set here; tokenization keeps the attributes of the reference build (c392e509).
     */
    private static final Set<String> LATER_EOG_TEXTS = Set.of("<|end_of_text|>", "_<EOT>", "<end_of_utterance>");
    private static final Set<String> EOT_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "<｜end▁of▁sentence｜>");
    private static final Set<String> FIM_PRE = Set.of("<|fim_prefix|>", "<fim-prefix>", "<｜fim▁begin｜>", "<PRE>");
    private static final Set<String> FIM_SUF = Set.of("<|fim_suffix|>", "<fim-suffix>", "<｜fim▁hole｜>", "<SUF>");
    private static final Set<String> FIM_MID = Set.of("<|fim_middle|>", "<fim-middle>", "<｜fim▁end｜>", "<MID>");
    private static final Set<String> FIM_PAD = Set.of("<|fim_pad|>", "<fim-pad>", "<PAD>");
    private static final Set<String> FIM_REP = Set.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>");
    private static final Set<String> FIM_SEP = Set.of("<|file_sep|>");

    /** How SentencePiece byte tokens are written; the decoder reads the two hex digits. */
    private static final java.util.regex.Pattern BYTE_TOKEN = java.util.regex.Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    Vocabulary(GgufFile f) {
        String name = f.path() == null ? "model" : String.valueOf(f.path().getFileName());
        model = f.getString("tokenizer.ggml.model");
        if (model == null) {
            throw new GgufException(name + ": no tokenizer in this file (metadata 'tokenizer.ggml.model' is missing)");
        }
        String pre = f.getString("tokenizer.ggml.pre", "");
        int bosId;
        int eosId;
        int unkId;
        boolean bosDefault;
        boolean spacePrefix;
        boolean clean;
        boolean ignore = false;
        switch (model) {
            case "llama" -> {
                kind = Kind.SPM;
                preType = PreTokenizer.Type.DEFAULT;
                bosId = 1;
                eosId = 2;
                unkId = 0;
                spacePrefix = true;
                clean = false;
                bosDefault = true;
            }
            case "gpt2" -> {
                kind = Kind.BPE;
                bosId = 11;
                eosId = 11;
                unkId = NULL;
                spacePrefix = false;
                PreTokenizer.Type t = PreTokenizer.Type.forName(pre);
                if (t == null) {
                    throw new GgufException(name + ": unknown pre-tokenizer type '" + pre + "' (tokenizer.ggml.pre); cairn supports "
                            + PreTokenizer.Type.knownNames());
                }
                preType = t;
                if (t == PreTokenizer.Type.CHATGLM4) {
                    bosId = NULL;
                }
                clean = t.cleanSpaces;
                bosDefault = t.addBos;
                ignore = t.ignoreMerges;
            }
            default -> throw new GgufException(name + ": unknown tokenizer model '" + model
                    + "' (tokenizer.ggml.model); cairn supports 'llama' (SentencePiece) and 'gpt2' (byte-level BPE)");
        }
        Boolean asp = f.getBoolean("tokenizer.ggml.add_space_prefix");
        addSpacePrefix = asp != null ? asp : spacePrefix;
        cleanSpaces = clean;
        ignoreMerges = ignore;

        String[] stored = f.getStringArray("tokenizer.ggml.tokens");
        if (stored == null || stored.length == 0) {
            throw new GgufException(name + ": tokenizer has no vocabulary (metadata 'tokenizer.ggml.tokens' is missing or empty)");
        }
        texts = stored.clone(); // empty entries are renamed below; the file's metadata stays as read
        int n = texts.length;
        float[] sc = f.getFloatArray("tokenizer.ggml.scores");
        int[] types = f.getIntArray("tokenizer.ggml.token_type");
        if (sc != null && sc.length < n || types != null && types.length < n) {
            throw new GgufException(name + ": tokenizer scores or token types are shorter than the vocabulary of " + n);
        }
        scores = new float[n];
        attrs = new int[n];
        ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (texts[i].isEmpty()) {
                texts[i] = "[EMPTY_" + i + "]"; // as llama.cpp, so the id stays reachable and unique
            }
            ids.put(texts[i], i); // a later duplicate wins, as in llama.cpp's map assignment
            scores[i] = sc == null ? 0f : sc[i];
            attrs[i] = types == null ? TokenAttr.NORMAL : TokenAttr.fromTokenType(types[i]);
            if (kind == Kind.SPM && (attrs[i] & TokenAttr.BYTE) != 0 && !BYTE_TOKEN.matcher(texts[i]).matches()) {
                throw new GgufException(name + ": tokenizer.ggml.tokens[" + i + "] is a byte token but reads "
                        + Printable.quote(texts[i]) + " instead of <0xNN>");
            }
        }

        if (kind == Kind.BPE) {
            String[] merges = f.getStringArray("tokenizer.ggml.merges");
            if (merges == null) {
                throw new GgufException(name + ": byte-level BPE tokenizer without merges (metadata 'tokenizer.ggml.merges' is missing)");
            }
            mergeRanks = new HashMap<>(merges.length * 2);
            for (int i = 0; i < merges.length; i++) {
                String m = merges[i];
                int sp = m.indexOf(' ', 1);
                String key = sp < 0 ? " " : m.substring(0, sp) + ' ' + m.substring(sp + 1);
                mergeRanks.putIfAbsent(key, i); // first rank wins (std::unordered_map::emplace)
            }
        } else {
            mergeRanks = Map.of();
        }

        bos = specialId(f, "tokenizer.ggml.bos_token_id", bosId, n);
        eos = specialId(f, "tokenizer.ggml.eos_token_id", eosId, n);
        unk = specialId(f, "tokenizer.ggml.unknown_token_id", unkId, n);
        Boolean b = f.getBoolean("tokenizer.ggml.add_bos_token");
        addBos = b != null ? b : bosDefault;
        b = f.getBoolean("tokenizer.ggml.add_eos_token");
        addEos = b != null && b;

        int eotId = specialId(f, "tokenizer.ggml.eot_token_id", NULL, n);
        int eomId = specialId(f, "tokenizer.ggml.eom_token_id", NULL, n);
        int fimPad = specialId(f, "tokenizer.ggml.fim_pad_token_id", NULL, n);
        int fimRep = specialId(f, "tokenizer.ggml.fim_rep_token_id", NULL, n);
        int fimSep = specialId(f, "tokenizer.ggml.fim_sep_token_id", NULL, n);
        int fimPre = specialId(f, "tokenizer.ggml.fim_pre_token_id", specialId(f, "tokenizer.ggml.prefix_token_id", NULL, n), n);
        int fimSuf = specialId(f, "tokenizer.ggml.fim_suf_token_id", specialId(f, "tokenizer.ggml.suffix_token_id", NULL, n), n);
        int fimMid = specialId(f, "tokenizer.ggml.fim_mid_token_id", specialId(f, "tokenizer.ggml.middle_token_id", NULL, n), n);

        // llama.cpp finds these tokens by their text when the metadata lacks them and marks them CONTROL, which
        // decides whether they are split out of plain text. It walks a hash map; we walk ids in order.
        for (int id = 0; id < n; id++) {
            String t = texts[id];
            if (ids.get(t) != id) {
                continue;
            }
            if (eotId == NULL && EOT_TEXTS.contains(t)) {
                eotId = markControl(id);
            }
            if (eomId == NULL && t.equals("<|eom_id|>")) {
                eomId = markControl(id);
            }
            if (fimPre == NULL && FIM_PRE.contains(t)) {
                fimPre = markControl(id);
            }
            if (fimSuf == NULL && FIM_SUF.contains(t)) {
                fimSuf = markControl(id);
            }
            if (fimMid == NULL && FIM_MID.contains(t)) {
                fimMid = markControl(id);
            }
            if (fimPad == NULL && FIM_PAD.contains(t)) {
                fimPad = markControl(id);
            }
            if (fimRep == NULL && FIM_REP.contains(t)) {
                fimRep = markControl(id);
            }
            if (fimSep == NULL && FIM_SEP.contains(t)) {
                fimSep = markControl(id);
            }
        }
        eot = eotId;
        for (int id : new int[] {fimPad, fimRep, fimSep}) {
            if (id != NULL) {
                eog.set(id);
            }
        }
        for (int id = 0; id < n; id++) {
            if (ids.get(texts[id]) == id && EOG_TEXTS.contains(texts[id])) {
                eog.set(markControl(id));
            }
        }
        for (int id = 0; id < n; id++) {
            if (LATER_EOG_TEXTS.contains(texts[id])) {
                eog.set(id);
            }
        }
        for (int id : new int[] {eos, eotId, eomId}) {
            if (id != NULL) {
                eog.set(id);
            }
        }

        List<Integer> special = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            if ((attrs[id] & (TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN)) != 0) {
                special.add(id);
            }
        }
        special.sort(Comparator.comparingInt((Integer id) -> -texts[id].getBytes(StandardCharsets.UTF_8).length));
        specialTokens = special.stream().mapToInt(Integer::intValue).toArray();

        // Per-model attributes llama.cpp sets by name: Phi-3's special tokens swallow the whitespace after them.
        String modelName = f.getString("general.name", "").toLowerCase(Locale.ROOT);
        if (pre.contains("jina-v2-de") || pre.contains("jina-v2-es") || pre.contains("jina-v2-code")) {
            Integer mask = ids.get("<mask>");
            if (mask != null) {
                attrs[mask] |= TokenAttr.LSTRIP;
            }
        } else if (modelName.contains("phi-3") || modelName.contains("phi3")) {
            for (int id : specialTokens) {
                attrs[id] |= TokenAttr.RSTRIP;
            }
            setAttr("</s>", TokenAttr.RSTRIP, true);
            for (String t : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
                setAttr(t, TokenAttr.RSTRIP, false);
            }
        }
    }

    /** llama.cpp replaces the attributes of a control-looking token that is not CONTROL by CONTROL. */
    private int markControl(int id) {
        if ((attrs[id] & TokenAttr.CONTROL) == 0) {
            attrs[id] = TokenAttr.CONTROL;
        }
        return id;
    }

    private void setAttr(String text, int attr, boolean on) {
        Integer id = ids.get(text);
        if (id != null) {
            attrs[id] = on ? attrs[id] | attr : attrs[id] & ~attr;
        }
    }

    private static int specialId(GgufFile f, String key, int def, int n) {
        def = def < n ? def : NULL; // llama.cpp's fixed defaults (BOS 1, EOS 2...) may not exist in a tiny vocabulary
        Object v = f.metadata().get(key);
        if (!(v instanceof Number num) || v instanceof Float || v instanceof Double) {
            return def;
        }
        long id = num.longValue();
        return id >= 0 && id < n ? (int) id : def; // llama.cpp ignores out-of-range ids and keeps the default
    }

    int size() {
        return texts.length;
    }

    Integer id(String text) {
        return ids.get(text);
    }

    boolean has(int id, int attr) {
        return (attrs[id] & attr) != 0;
    }
}

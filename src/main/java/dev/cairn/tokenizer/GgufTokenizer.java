package dev.cairn.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@link Tokenizer} over a GGUF vocabulary: SentencePiece-style ({@code llama}) or byte-level BPE ({@code gpt2}). */
final class GgufTokenizer implements Tokenizer {
    private static final char SPM_SPACE = '\u2581';

    private final Vocabulary vocab;
    private final SpmEncoder spm;
    private final BpeEncoder bpe;
    private final byte[][] pieces;

    GgufTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.spm = vocab.kind == Vocabulary.Kind.SPM ? new SpmEncoder(vocab) : null;
        this.bpe = vocab.kind == Vocabulary.Kind.BPE ? new BpeEncoder(vocab) : null;
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            pieces[id] = piece(id);
        }
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList();
        if (addSpecial && vocab.addBos && vocab.bos != Vocabulary.NULL) {
            out.add(vocab.bos);
        }
        boolean prevSpecial = true; // SentencePiece prefixes a space to text that starts the input or follows a special token
        for (SpecialTokenSplitter.Fragment f : SpecialTokenSplitter.split(vocab, text, parseSpecial)) {
            if (!f.isText()) {
                out.add(f.token());
                prevSpecial = true;
                continue;
            }
            String raw = text.substring(f.offset(), f.offset() + f.length());
            if (spm != null) {
                String s = vocab.addSpacePrefix && prevSpecial ? " " + raw : raw;
                spm.encode(s.replace(' ', SPM_SPACE), out);
            } else {
                bpe.encode(raw, out);
            }
            prevSpecial = false;
        }
        if (addSpecial && vocab.addEos && vocab.eos != Vocabulary.NULL) {
            out.add(vocab.eos);
        }
        return out.toArray();
    }

    /**
     * llama.cpp's llama_detokenize(remove_special=false, unparse_special=true): pieces concatenated, the first
     * piece's leading space dropped when the vocabulary adds a space prefix, and for BPE vocabularies that ask for
     * it, the clean-up of spaces before punctuation and contractions.
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean removeSpace = vocab.addSpacePrefix;
        for (int id : ids) {
            byte[] p = pieceBytes(id);
            int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
            buf.write(p, skip, p.length - skip);
            removeSpace = false;
        }
        byte[] text = buf.toByteArray();
        int total = vocab.cleanSpaces ? cleanSpaces(text) : text.length;
        return new String(text, 0, total, StandardCharsets.UTF_8);
    }

    /** Streams generated tokens piece by piece, exactly as their pieces concatenate (like llama-server's output). */
    @Override
    public TokenDecoder newDecoder() {
        return new Utf8StreamDecoder(this::pieceBytes);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bosId() {
        return vocab.bos;
    }

    @Override
    public int eosId() {
        return vocab.eos;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && vocab.eog.get(id);
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return vocab.texts[id];
    }

    @Override
    public byte[] tokenBytes(int id) {
        return pieceBytes(id);
    }

    private byte[] pieceBytes(int id) {
        checkId(id);
        return pieces[id];
    }

    private void checkId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (pieces.length - 1) + ")");
        }
    }

    /** llama.cpp's token_to_piece(special = true) for one token, as bytes. */
    private byte[] piece(int id) {
        int attr = vocab.attrs[id];
        String text = vocab.texts[id];
        if ((attr & (TokenAttr.UNKNOWN | TokenAttr.CONTROL | TokenAttr.USER_DEFINED)) != 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (vocab.kind == Vocabulary.Kind.SPM) {
            if ((attr & TokenAttr.NORMAL) != 0) {
                return text.replace(SPM_SPACE, ' ').getBytes(StandardCharsets.UTF_8);
            }
            if ((attr & TokenAttr.BYTE) != 0 && text.length() >= 5) {
                return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
            }
            return new byte[0];
        }
        if ((attr & TokenAttr.NORMAL) != 0) {
            return byteLevelDecode(text);
        }
        return new byte[0];
    }

    /** llama_decode_text: each char of a byte-level token back to its byte. */
    private static byte[] byteLevelDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        text.codePoints().forEach(cp -> {
            int b = ByteLevel.toByte(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                // llama.cpp writes a marker for characters outside the byte alphabet
                StringBuilder sb = new StringBuilder("[UNK_BYTE_0x");
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append(String.format("%02x", x & 0xFF));
                }
                sb.append(text).append(']');
                out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    /** The three clean-up passes of llama.cpp's detokenize (clean_up_tokenization_spaces), in place; returns the new length. */
    static int cleanSpaces(byte[] text) {
        int total = text.length;
        // " ?", " !", " .", " ," lose the space
        int total1 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total1; i++) {
            byte x = text[i];
            if (text[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                total--;
            }
            text[total++] = x;
        }
        // a single apostrophe between spaces loses both spaces
        int total2 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total2; i++) {
            byte x = text[i];
            if (x == '\'' && i + 1 < total2 && text[i - 1] == ' ' && text[i + 1] == ' ') {
                total--;
                text[++i] = 0;
            }
            text[total++] = x;
        }
        // " 's", " 'm", " 're", " 've" lose the space
        int total3 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total3; i++) {
            byte x = text[i];
            if (text[i - 1] == ' ' && x == '\'' && i + 1 < total3) {
                byte x1 = text[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < total3) {
                    byte x2 = text[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        total--;
                    }
                }
            }
            text[total++] = x;
        }
        return total;
    }

    @Override
    public String toString() {
        return "GgufTokenizer[" + vocab.model + ", " + vocab.size() + " tokens" + (bpe != null ? ", pre " + vocab.preType : "") + "]";
    }
}

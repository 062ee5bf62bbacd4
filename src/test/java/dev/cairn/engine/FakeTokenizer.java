package dev.cairn.engine;

import dev.cairn.tokenizer.TokenDecoder;
import dev.cairn.tokenizer.Tokenizer;

/** Token i (i >= 2) is one character of {@link #ALPHABET}; 0 is EOS, 1 is BOS. */
final class FakeTokenizer implements Tokenizer {
    static final String ALPHABET = "..abcdefghijklmnopqrstuvwxyz0123456789 !";

    static String text(int id) {
        return id < 2 ? "" : String.valueOf(ALPHABET.charAt(id));
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        int[] ids = new int[text.length() + (addSpecial ? 1 : 0)];
        int k = 0;
        if (addSpecial) {
            ids[k++] = 1;
        }
        for (char ch : text.toCharArray()) {
            ids[k++] = ALPHABET.indexOf(ch, 2);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            b.append(text(id));
        }
        return b.toString();
    }

    @Override
    public TokenDecoder newDecoder() {
        return new TokenDecoder() {
            @Override
            public String push(int id) {
                return text(id);
            }

            @Override
            public String flush() {
                return "";
            }
        };
    }

    @Override
    public int vocabSize() {
        return FakeModel.VOCAB;
    }

    @Override
    public int bosId() {
        return 1;
    }

    @Override
    public int eosId() {
        return 0;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id == 0;
    }

    @Override
    public String tokenText(int id) {
        return text(id);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return text(id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

package dev.cairn.grammar;

import dev.cairn.tokenizer.TokenDecoder;
import dev.cairn.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A vocabulary given as a list of token texts; id 0 ends the generation. Only what constraints use is real. */
final class ListTokenizer implements Tokenizer {
    private final List<String> tokens;

    ListTokenizer(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    int id(String token) {
        int id = tokens.indexOf(token);
        if (id < 0) {
            throw new IllegalArgumentException("no token " + token);
        }
        return id;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            b.append(tokens.get(id));
        }
        return b.toString();
    }

    @Override
    public TokenDecoder newDecoder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }

    @Override
    public int bosId() {
        return -1;
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
        return tokens.get(id);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return id == 0 ? new byte[0] : tokens.get(id).getBytes(StandardCharsets.UTF_8);
    }
}

package dev.cairn.chat;

import dev.cairn.tokenizer.TokenDecoder;
import dev.cairn.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** One token per byte (ids 0-255) and an end token (256): constraints can then be walked byte by byte. */
final class ByteTokenizer implements Tokenizer {
    static final int END = 256;

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tokenBytes(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public TokenDecoder newDecoder() {
        return new TokenDecoder() {
            private final ByteArrayOutputStream held = new ByteArrayOutputStream();

            @Override
            public String push(int id) {
                held.writeBytes(tokenBytes(id));
                byte[] bytes = held.toByteArray();
                int complete = completeLength(bytes);
                held.reset();
                held.write(bytes, complete, bytes.length - complete);
                return new String(bytes, 0, complete, StandardCharsets.UTF_8);
            }

            @Override
            public String flush() {
                String rest = held.toString(StandardCharsets.UTF_8);
                held.reset();
                return rest;
            }
        };
    }

    /** Length of the longest start of {@code bytes} that does not end inside a UTF-8 character. */
    private static int completeLength(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xff;
            if ((b & 0xc0) != 0x80) {
                int need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
                return need > back ? n - back : n;
            }
        }
        return n;
    }

    @Override
    public int vocabSize() {
        return 257;
    }

    @Override
    public int bosId() {
        return -1;
    }

    @Override
    public int eosId() {
        return END;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id == END;
    }

    @Override
    public String tokenText(int id) {
        return id == END ? "</s>" : new String(tokenBytes(id), StandardCharsets.ISO_8859_1);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return id == END ? new byte[0] : new byte[] {(byte) id};
    }
}

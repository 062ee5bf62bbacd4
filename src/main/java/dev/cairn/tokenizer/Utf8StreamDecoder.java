package dev.cairn.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Streams the pieces of generated tokens as text. Byte tokens (SPM {@code <0xNN>}, byte-level BPE) can end in the
 * middle of a UTF-8 character; those trailing bytes are held back until the character is complete.
 */
final class Utf8StreamDecoder implements TokenDecoder {
    private final IntFunction<byte[]> pieces;
    private byte[] pending = new byte[16];
    private int size;

    Utf8StreamDecoder(IntFunction<byte[]> pieces) {
        this.pieces = pieces;
    }

    @Override
    public String push(int id) {
        byte[] piece = pieces.apply(id);
        if (size + piece.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + piece.length));
        }
        System.arraycopy(piece, 0, pending, size, piece.length);
        size += piece.length;
        int complete = completePrefix(pending, size);
        String out = new String(pending, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(pending, complete, pending, 0, size - complete);
        size -= complete;
        return out;
    }

    @Override
    public String flush() {
        String out = new String(pending, 0, size, StandardCharsets.UTF_8);
        size = 0;
        return out;
    }

    /**
     * Length of the prefix of {@code b[0..n)} that does not end inside an unfinished UTF-8 sequence. Invalid bytes
     * are not held back (they would never complete); the String constructor turns them into U+FFFD.
     */
    static int completePrefix(byte[] b, int n) {
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int c = b[i] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for its lead byte
            }
            int need = c < 0x80 ? 1 : c >= 0xF8 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return n - i < need ? i : n;
        }
        return n;
    }
}

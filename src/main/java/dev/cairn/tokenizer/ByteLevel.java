package dev.cairn.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-unicode mapping: printable Latin-1 bytes stand for themselves, the other 68 bytes are
 * mapped to U+0100 onwards in byte order. Byte-level BPE vocabularies are written in these characters.
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The byte-level spelling of UTF-8 bytes {@code b[from..to)}. */
    static String encode(byte[] b, int from, int to) {
        char[] out = new char[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = BYTE_TO_CHAR[b[i] & 0xFF];
        }
        return new String(out);
    }

    /** The byte a code point stands for, or -1 if it is not part of the mapping. */
    static int toByte(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }
}

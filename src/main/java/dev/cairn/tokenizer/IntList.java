package dev.cairn.tokenizer;

import java.util.Arrays;

/** A growable int array (token ids, piece lengths) without boxing. */
final class IntList {
    private int[] a = new int[16];
    private int n;

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    /** Adds the length of the piece {@code [prevEnd, end)} if it is not empty; returns {@code end}. */
    int addToken(int prevEnd, int end) {
        if (end > prevEnd) {
            add(end - prevEnd);
        }
        return end;
    }

    int get(int i) {
        return a[i];
    }

    int size() {
        return n;
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}

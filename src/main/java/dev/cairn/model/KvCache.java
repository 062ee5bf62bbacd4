package dev.cairn.model;

/** Keys and values of the positions processed so far for one sequence. */
public interface KvCache {
    /** Positions filled. */
    int length();

    /** Positions it can hold. */
    int capacity();

    /** Forgets every position from {@code length} on (prefix reuse keeps the shared start). */
    void truncate(int length);

    /** Memory it holds, in bytes. */
    long bytes();
}

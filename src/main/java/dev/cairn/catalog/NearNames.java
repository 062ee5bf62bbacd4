package dev.cairn.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Names close to what a user typed, for "did you mean": ones that contain it, start alike, or are a typo away. */
final class NearNames {
    private static final int MAX = 5;

    private NearNames() {
    }

    /** Up to five of {@code names} near {@code query} (already lower case), closest first. */
    static List<String> of(String query, List<String> names) {
        record Scored(String name, int score) {
        }
        List<Scored> near = new ArrayList<>();
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT);
            int score;
            if (n.startsWith(query) || n.contains(query)) {
                score = n.length() - query.length(); // a prefix or part of several names: each is a candidate
            } else {
                int d = distance(query, n);
                score = d <= Math.max(2, query.length() / 4) ? 100 + d : -1;
            }
            if (score >= 0) {
                near.add(new Scored(name, score));
            }
        }
        return near.stream().sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::name))
                .limit(MAX).map(Scored::name).toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

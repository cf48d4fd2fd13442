package io.millrace.topology.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PageRank by power iteration over the crawled pages (links to pages not crawled are left out; a page without
 * links spreads its rank over all pages). Recomputation starts from the previous ranks, so a small change of a
 * large graph converges in a few iterations: that is what makes it incremental.
 */
public final class PageRankGraph {

    public static final double DAMPING = 0.85;
    static final double TOLERANCE = 1e-9;
    static final int MAX_ITERATIONS = 100;

    private final Map<String, List<String>> links = new HashMap<>();
    private Map<String, Double> ranks = new HashMap<>();
    private int lastIterations;

    /** Sets a page's outlinks (replacing those it had). */
    public void put(String url, List<String> outlinks) {
        links.put(url, List.copyOf(outlinks));
    }

    /** Takes {@code ranks} as the previous ranks: the next {@link #compute} starts from them. */
    public void resume(Map<String, Double> ranks) {
        this.ranks = new HashMap<>(ranks);
    }

    public void remove(String url) {
        links.remove(url);
    }

    public int size() {
        return links.size();
    }

    /** Iterations the last {@link #compute} took. */
    public int lastIterations() {
        return lastIterations;
    }

    /** Ranks of every page, summing to 1, from the previous ranks (or uniform ones). */
    public Map<String, Double> compute() {
        int n = links.size();
        if (n == 0) {
            ranks = new HashMap<>();
            return ranks;
        }
        List<String> pages = new ArrayList<>(links.keySet());
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(pages.get(i), i);
        }
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = links.get(pages.get(i)).stream().map(index::get).filter(j -> j != null).mapToInt(Integer::intValue).toArray();
        }
        double[] rank = new double[n];
        double known = 0;
        for (int i = 0; i < n; i++) {
            rank[i] = ranks.getOrDefault(pages.get(i), 1.0 / n);
            known += rank[i];
        }
        for (int i = 0; i < n; i++) {
            rank[i] /= known;
        }
        int iteration = 0;
        double change = Double.MAX_VALUE;
        while (change > TOLERANCE && iteration < MAX_ITERATIONS) {
            double[] next = new double[n];
            double dangling = 0;
            for (int i = 0; i < n; i++) {
                if (out[i].length == 0) {
                    dangling += rank[i];
                } else {
                    double share = rank[i] / out[i].length;
                    for (int j : out[i]) {
                        next[j] += share;
                    }
                }
            }
            double base = (1 - DAMPING) / n + DAMPING * dangling / n;
            change = 0;
            for (int i = 0; i < n; i++) {
                next[i] = base + DAMPING * next[i];
                change += Math.abs(next[i] - rank[i]);
            }
            rank = next;
            iteration++;
        }
        lastIterations = iteration;
        Map<String, Double> computed = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            computed.put(pages.get(i), rank[i]);
        }
        ranks = computed;
        return ranks;
    }
}

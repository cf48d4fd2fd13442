package io.millrace.bench.recommendations;

import java.util.List;
import java.util.Map;

/**
 * Hit rate and NDCG at k of a recommender against what each user opened after the cutoff: a hit is one of those items
 * in the user's top k; NDCG gives a hit at rank r a gain of 1/log2(r + 1), normalized by the best possible order.
 */
public record Judgement(String recommender, int users, double hitRate, double ndcg) {

    public static final int K = 10;

    public static Judgement of(Recommender recommender, Map<String, List<String>> future) {
        double hits = 0;
        double ndcg = 0;
        int users = 0;
        for (Map.Entry<String, List<String>> user : future.entrySet()) {
            List<String> opened = user.getValue();
            if (opened.isEmpty()) {
                continue;
            }
            users++;
            List<String> top = recommender.recommend(user.getKey(), K);
            hits += top.stream().anyMatch(opened::contains) ? 1 : 0;
            ndcg += ndcg(top, opened);
        }
        return new Judgement(recommender.name(), users, users == 0 ? 0 : hits / users, users == 0 ? 0 : ndcg / users);
    }

    static double ndcg(List<String> top, List<String> relevant) {
        double dcg = 0;
        for (int rank = 0; rank < Math.min(K, top.size()); rank++) {
            if (relevant.contains(top.get(rank))) {
                dcg += 1 / log2(rank + 2);
            }
        }
        double ideal = 0;
        for (int rank = 0; rank < Math.min(K, relevant.size()); rank++) {
            ideal += 1 / log2(rank + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** How this recommender compares to {@code other}: its NDCG over the other's, minus one (0.25 = 25 % better). */
    public double liftOver(Judgement other) {
        return other.ndcg == 0 ? Double.POSITIVE_INFINITY : ndcg / other.ndcg - 1;
    }
}

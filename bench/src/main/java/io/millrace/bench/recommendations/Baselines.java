package io.millrace.bench.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The two recommenders the streaming feed is judged against, computed in one batch over the whole training history. */
public final class Baselines {

    private Baselines() {
    }

    /** What each user interacted with before the cutoff, dismissals included (a recommender must not offer them again). */
    static Map<String, Set<String>> seen(List<TasteWorld.Event> training) {
        Map<String, Set<String>> seen = new HashMap<>();
        training.forEach(event -> seen.computeIfAbsent(event.user(), user -> new LinkedHashSet<>()).add(event.item()));
        return seen;
    }

    /**
     * Trending only: every item's interactions decayed to the cutoff with {@code halfLifeMs}, the same list for every
     * user, minus what they have seen.
     */
    public static Recommender trending(TasteWorld.Split split, long halfLifeMs) {
        Map<String, Double> score = new HashMap<>();
        for (TasteWorld.Event event : split.training()) {
            if (!event.kind().equals("DISMISS")) {
                score.merge(event.item(), Math.pow(0.5, (split.cutoff() - event.timestamp()) / (double) halfLifeMs), Double::sum);
            }
        }
        List<String> ranked = score.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        Map<String, Set<String>> seen = seen(split.training());
        return new Recommender() {
            public String name() {
                return "trending only (batch)";
            }

            public List<String> recommend(String user, int k) {
                Set<String> exclude = seen.getOrDefault(user, Set.of());
                return ranked.stream().filter(item -> !exclude.contains(item)).limit(k).toList();
            }
        };
    }

    /**
     * Item-kNN: the cosine similarity of every two items over the users who interacted with both (whole history, not
     * decayed), and a user's score for an item the sum of its similarities to the user's items; the
     * {@code neighbours} most similar items of each are kept, as item-kNN recommenders do.
     */
    public static Recommender itemKnn(TasteWorld.Split split, int neighbours) {
        Map<String, Set<String>> seen = seen(split.training());
        Map<String, Set<String>> liked = new HashMap<>();
        split.training().stream().filter(event -> !event.kind().equals("DISMISS"))
                .forEach(event -> liked.computeIfAbsent(event.user(), user -> new LinkedHashSet<>()).add(event.item()));
        Map<String, Integer> users = new HashMap<>();
        Map<String, Map<String, Integer>> together = new HashMap<>();
        for (Set<String> items : liked.values()) {
            List<String> list = new ArrayList<>(items);
            for (String a : list) {
                users.merge(a, 1, Integer::sum);
                Map<String, Integer> row = together.computeIfAbsent(a, item -> new HashMap<>());
                for (String b : list) {
                    if (!a.equals(b)) {
                        row.merge(b, 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, List<Map.Entry<String, Double>>> similar = new HashMap<>();
        together.forEach((a, row) -> similar.put(a, row.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() / Math.sqrt((double) users.get(a) * users.get(e.getKey()))))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(neighbours).toList()));
        return new Recommender() {
            public String name() {
                return "item-kNN (batch)";
            }

            public List<String> recommend(String user, int k) {
                Set<String> exclude = seen.getOrDefault(user, Set.of());
                Map<String, Double> score = new HashMap<>();
                for (String item : liked.getOrDefault(user, Set.of())) {
                    for (Map.Entry<String, Double> neighbour : similar.getOrDefault(item, List.of())) {
                        if (!exclude.contains(neighbour.getKey())) {
                            score.merge(neighbour.getKey(), neighbour.getValue(), Double::sum);
                        }
                    }
                }
                return score.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(k).map(Map.Entry::getKey).toList();
            }
        };
    }

    /** The judgements of {@code recommenders}, in order, as a Markdown table. */
    public static String table(List<Judgement> judgements) {
        StringBuilder table = new StringBuilder("| recommender | users judged | hit-rate@10 | NDCG@10 |\n|---|---:|---:|---:|\n");
        judgements.stream().sorted(Comparator.comparingInt(judgements::indexOf)).forEach(j -> table.append(String.format(
                java.util.Locale.ROOT, "| %s | %,d | %.3f | %.3f |%n", j.recommender(), j.users(), j.hitRate(), j.ndcg())));
        return table.toString();
    }
}

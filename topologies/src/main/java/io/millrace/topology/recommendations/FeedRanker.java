package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.Affinity;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Neighbour;
import io.millrace.schemas.recommendations.UserProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's feed, ranked from what every instance holds ({@link Catalogue}) and the user's profile.
 *
 * <p>Candidates: the first {@value #PER_FAVOURITE_CATEGORY} trending items (of those the user has not seen) of the user's
 * {@value #FAVOURITE_CATEGORIES} favourite categories, the items seen in sessions with the user's {@value #RECENT_ITEMS}
 * most recent items, and the first {@value #GLOBAL_TRENDING} items trending overall. Seen, dismissed and deleted items
 * never appear. A candidate scores
 * <pre>affinity + co-occurrence + 0.5·trend + freshness·(0.5·category share + 0.1)</pre>
 * where affinity is the user's decayed share of the item's category, plus half the author's and half the mean of its
 * tags'; co-occurrence the strongest count relative to its list's first; trend its decayed trending score relative to the
 * best candidate's; freshness 2^(−age / freshness half-life). A user without a profile (cold start) gets the items trending
 * overall, in trending order. Then diversity: at most {@code maxPerCategory} of one category among the first
 * {@value #DIVERSITY_WINDOW}; when the candidates hold too few categories to fill them, the rest follow in score order.
 */
public final class FeedRanker {

    public static final int DIVERSITY_WINDOW = 10;
    static final int FAVOURITE_CATEGORIES = 5;
    static final int RECENT_ITEMS = 5;
    static final int GLOBAL_TRENDING = 50;
    static final int PER_FAVOURITE_CATEGORY = 40;

    /** An item of a feed, its score and where it came from: interest, similar, trending or new. */
    public record Entry(ContentItem item, double score, String source) {
    }

    private final RecommendationsConfig config;

    public FeedRanker(RecommendationsConfig config) {
        this.config = config;
    }

    /** The first {@code limit} items of the feed of the user with {@code profile} (null: a user never seen) at {@code now}. */
    public List<Entry> feed(UserProfile profile, int limit, Catalogue catalogue, long now) {
        if (profile == null || profile.getCategories().isEmpty()) {
            Set<String> excluded = profile == null ? Set.of() : excluded(profile);
            List<Entry> trending = new ArrayList<>();
            for (Affinity entry : trendingOverall(catalogue, 2 * limit + excluded.size())) {
                if (!excluded.contains(entry.getKey())) {
                    catalogue.item(entry.getKey()).ifPresent(item ->
                            trending.add(new Entry(item, LogScore.valueAt(entry.getLogScore(), now, config.trendingHalfLife()), "trending")));
                }
            }
            return diversified(trending, limit);
        }
        Set<String> excluded = excluded(profile);
        Map<String, Double> categories = shares(profile.getCategories(), now);
        Map<String, Double> authors = shares(profile.getAuthors(), now);
        Map<String, Double> tags = shares(profile.getTags(), now);
        Map<String, Double> trendLogs = new HashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        categories.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(FAVOURITE_CATEGORIES)
                .forEach(category -> catalogue.trending(category.getKey()).ifPresent(list -> list.getItems().stream()
                        .filter(entry -> !excluded.contains(entry.getKey())).limit(PER_FAVOURITE_CATEGORY).forEach(entry -> {
                            trendLogs.put(entry.getKey(), entry.getLogScore());
                            sources.putIfAbsent(entry.getKey(), "interest");
                        })));
        Map<String, Double> coOccurrence = new HashMap<>();
        for (String recent : recentItems(profile)) {
            catalogue.similar(recent).ifPresent(similar -> {
                List<Neighbour> neighbours = similar.getNeighbours();
                if (neighbours.isEmpty()) {
                    return;
                }
                double first = neighbours.get(0).getCount();
                for (Neighbour neighbour : neighbours) {
                    coOccurrence.merge(neighbour.getItem(), neighbour.getCount() / first, Math::max);
                    sources.putIfAbsent(neighbour.getItem(), "similar");
                }
            });
        }
        catalogue.overall().stream().filter(entry -> !excluded.contains(entry.getKey())).limit(GLOBAL_TRENDING).forEach(entry -> {
            trendLogs.putIfAbsent(entry.getKey(), entry.getLogScore());
            sources.putIfAbsent(entry.getKey(), "trending");
        });
        double bestTrend = sources.keySet().stream().filter(trendLogs::containsKey)
                .mapToDouble(item -> LogScore.valueAt(trendLogs.get(item), now, config.trendingHalfLife())).max().orElse(1.0);
        List<Entry> ranked = new ArrayList<>();
        for (Map.Entry<String, String> candidate : sources.entrySet()) {
            String itemId = candidate.getKey();
            if (excluded.contains(itemId)) {
                continue;
            }
            catalogue.item(itemId).ifPresent(item -> {
                double categoryShare = categories.getOrDefault(item.getCategory(), 0.0);
                double affinity = categoryShare + 0.5 * authors.getOrDefault(item.getAuthor(), 0.0)
                        + 0.5 * item.getTags().stream().mapToDouble(tag -> tags.getOrDefault(tag, 0.0)).average().orElse(0.0);
                Double trendLog = trendLogs.get(itemId);
                double trend = trendLog == null || bestTrend <= 0 ? 0.0
                        : LogScore.valueAt(trendLog, now, config.trendingHalfLife()) / bestTrend;
                double freshness = freshness(item, now);
                double score = affinity + coOccurrence.getOrDefault(itemId, 0.0) + 0.5 * trend + freshness * (0.5 * categoryShare + 0.1);
                String source = freshness > 0.5 ? "new" : candidate.getValue();
                ranked.add(new Entry(item, score, source));
            });
        }
        ranked.sort(Comparator.comparingDouble(Entry::score).reversed().thenComparing(entry -> entry.item().getItemId()));
        return diversified(ranked, limit);
    }

    /** The first {@code limit} items trending over every category, highest first. */
    static List<Affinity> trendingOverall(Catalogue catalogue, int limit) {
        List<Affinity> all = catalogue.overall();
        return all.size() <= limit ? all : all.subList(0, limit);
    }

    /** At most {@code maxPerCategory} of a category among the first {@value #DIVERSITY_WINDOW}, the order kept otherwise. */
    List<Entry> diversified(List<Entry> ranked, int limit) {
        List<Entry> head = new ArrayList<>();
        List<Entry> tail = new ArrayList<>();
        Map<String, Integer> perCategory = new HashMap<>();
        for (Entry entry : ranked) {
            String category = entry.item().getCategory();
            if (head.size() < DIVERSITY_WINDOW && perCategory.getOrDefault(category, 0) < config.maxPerCategory()) {
                head.add(entry);
                perCategory.merge(category, 1, Integer::sum);
            } else {
                tail.add(entry);
            }
        }
        head.addAll(tail);
        return head.size() <= limit ? head : List.copyOf(head.subList(0, limit));
    }

    private double freshness(ContentItem item, long now) {
        long age = Math.max(0, now - item.getPublishedAt());
        return Math.pow(2, -(double) age / config.freshnessHalfLife().toMillis());
    }

    private static Set<String> excluded(UserProfile profile) {
        Set<String> excluded = new HashSet<>(profile.getSeen());
        excluded.addAll(profile.getDismissed());
        return excluded;
    }

    /** The session's items, most recent first, then the last items seen. */
    private static List<String> recentItems(UserProfile profile) {
        Set<String> recent = new java.util.LinkedHashSet<>();
        for (int i = profile.getSession().size() - 1; i >= 0 && recent.size() < RECENT_ITEMS; i--) {
            recent.add(profile.getSession().get(i).getKey());
        }
        for (int i = profile.getSeen().size() - 1; i >= 0 && recent.size() < RECENT_ITEMS; i--) {
            recent.add(profile.getSeen().get(i));
        }
        return List.copyOf(recent);
    }

    /** Each entry's decayed value as a share of their sum. */
    private Map<String, Double> shares(List<Affinity> affinities, long now) {
        Map<String, Double> values = new HashMap<>();
        double sum = 0;
        for (Affinity affinity : affinities) {
            double value = LogScore.valueAt(affinity.getLogScore(), now, config.profileHalfLife());
            values.put(affinity.getKey(), value);
            sum += value;
        }
        if (sum > 0) {
            double total = sum;
            values.replaceAll((key, value) -> value / total);
        }
        return values;
    }
}

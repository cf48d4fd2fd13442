package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.Affinity;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Neighbour;
import io.millrace.schemas.recommendations.UserProfile;
import io.millrace.topology.runtime.StoreReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The read side of the recommendations: a user's feed and profile (from the user's partition and the global stores), an
 * item's similar items and the trending items (from the global stores, on any instance).
 */
public final class RecommendationsQueries {

    /** An item as answers show it. */
    public record ItemView(String itemId, String title, String url, String category, String author, List<String> tags, long publishedAt) {
        static ItemView of(ContentItem item) {
            return new ItemView(item.getItemId(), item.getTitle(), item.getUrl(), item.getCategory(), item.getAuthor(),
                    List.copyOf(item.getTags()), item.getPublishedAt());
        }
    }

    /** An item of a feed: its score, and why it is there (interest, similar, trending, new). */
    public record FeedItem(ItemView item, double score, String source) {
    }

    /** A user's feed; {@code personalized} is false for a user without interests yet (cold start: trending). */
    public record Feed(String user, boolean personalized, List<FeedItem> items) {
    }

    /** An item often seen in sessions with another, and in how many. */
    public record SimilarItem(ItemView item, long sessions) {
    }

    /** The items seen most in sessions with {@code itemId}. */
    public record Similar(String itemId, List<SimilarItem> items) {
    }

    /** A trending item and its decayed score now (in interactions of weight 1 at this instant). */
    public record TrendingItem(ItemView item, double score) {
    }

    /** The trending items of a category, or of all ({@code category} "all"). */
    public record Trending(String category, List<TrendingItem> items) {
    }

    /** A name and its share of the user's interest in its dimension (0 to 1). */
    public record Interest(String name, double share) {
    }

    /** A user's interests, strongest first, and how many items they saw and dismissed. */
    public record Profile(String user, long interactions, long lastInteractionAt, List<Interest> categories, List<Interest> authors,
                          List<Interest> tags, List<String> recentItems, int seen, int dismissed) {
    }

    /** How old the trending lists a query reads may be: they change once a second at most. */
    static final long TRENDING_MAX_AGE_MS = 200;

    private final RecommendationsConfig config;
    private final Catalogue catalogue;
    private final FeedRanker ranker;
    private final Catalogue.Store<UserProfile> profiles;

    RecommendationsQueries(StoreReader stores, RecommendationsConfig config) {
        this.config = config;
        this.catalogue = Catalogue.withTrendingCached(Catalogue.of(stores), System::currentTimeMillis, TRENDING_MAX_AGE_MS);
        this.ranker = new FeedRanker(config);
        this.profiles = new Catalogue.Store<>(stores, RecommendationsStores.PROFILES);
    }

    /** The first {@code limit} items of {@code user}'s feed at {@code now}. */
    public Feed feed(String user, int limit, long now) {
        UserProfile profile = profile(user).orElse(null);
        List<FeedItem> items = ranker.feed(profile, limit, catalogue, now).stream()
                .map(entry -> new FeedItem(ItemView.of(entry.item()), entry.score(), entry.source())).toList();
        return new Feed(user, profile != null && !profile.getCategories().isEmpty(), items);
    }

    /** The items seen most with {@code itemId}; empty when the item is not in the catalog. */
    public Optional<Similar> similar(String itemId, int limit) {
        if (catalogue.item(itemId).isEmpty()) {
            return Optional.empty();
        }
        List<SimilarItem> items = new ArrayList<>();
        for (Neighbour neighbour : catalogue.similar(itemId).map(s -> s.getNeighbours()).orElse(List.of())) {
            if (items.size() == limit) {
                break;
            }
            catalogue.item(neighbour.getItem()).ifPresent(item -> items.add(new SimilarItem(ItemView.of(item), neighbour.getCount())));
        }
        return Optional.of(new Similar(itemId, items));
    }

    /** The trending items of {@code category} (all categories when empty) at {@code now}, deleted items left out. */
    public Trending trending(Optional<String> category, int limit, long now) {
        List<Affinity> ranked = category.isPresent()
                ? catalogue.trending(category.get()).map(list -> list.getItems()).orElse(List.of())
                : FeedRanker.trendingOverall(catalogue, Integer.MAX_VALUE);
        List<TrendingItem> items = new ArrayList<>();
        for (Affinity entry : ranked) {
            if (items.size() == limit) {
                break;
            }
            catalogue.item(entry.getKey()).ifPresent(item -> items.add(new TrendingItem(ItemView.of(item),
                    LogScore.valueAt(entry.getLogScore(), now, config.trendingHalfLife()))));
        }
        return new Trending(category.orElse("all"), items);
    }

    /** The categories that have a trending list. */
    public List<String> categories() {
        return catalogue.allTrending().stream().map(list -> list.getCategory()).sorted().toList();
    }

    /** {@code user}'s interests at {@code now}, strongest first. */
    public Optional<Profile> interests(String user, long now) {
        return profile(user).map(profile -> new Profile(user, profile.getInteractions(), profile.getLastAt(),
                interests(profile.getCategories(), now), interests(profile.getAuthors(), now), interests(profile.getTags(), now),
                newestFirst(profile.getSession()), profile.getSeen().size(),
                profile.getDismissed().size()));
    }

    /** An item of the catalog. */
    public Optional<ItemView> item(String itemId) {
        return catalogue.item(itemId).map(ItemView::of);
    }

    private Optional<UserProfile> profile(String user) {
        return Optional.ofNullable(profiles.get().get(user));
    }

    private static List<String> newestFirst(List<Affinity> session) {
        List<String> items = new ArrayList<>(session.size());
        for (int i = session.size() - 1; i >= 0; i--) {
            items.add(session.get(i).getKey());
        }
        return items;
    }

    private List<Interest> interests(List<Affinity> affinities, long now) {
        double sum = affinities.stream().mapToDouble(a -> LogScore.valueAt(a.getLogScore(), now, config.profileHalfLife())).sum();
        return affinities.stream().sorted(Comparator.comparingDouble(Affinity::getLogScore).reversed())
                .map(a -> new Interest(a.getKey(), sum > 0 ? LogScore.valueAt(a.getLogScore(), now, config.profileHalfLife()) / sum : 0))
                .toList();
    }
}

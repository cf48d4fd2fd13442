package io.millrace.bench.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A catalog and users with hidden tastes who interact with it over simulated time, for judging recommenders offline.
 *
 * <p>Each user likes two categories (one more than the other) and a few authors in them; a session stays in one
 * category, so items viewed together are related; a third of the users drift, swapping their second category for
 * another halfway through; new items are published all along and fresh ones draw most views; one choice in four
 * follows what is popular rather than taste. The split is by time: every recommender learns from what happened before
 * the cutoff and is judged on what each user went on to open after it.
 */
public final class TasteWorld {

    public static final List<String> CATEGORIES = List.of("news", "sport", "tech", "science", "travel", "food", "music", "film",
            "games", "health");
    static final int AUTHORS = 60;
    static final int TAGS = 40;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    /** How fast an item's pull fades as it ages. */
    static final long FRESHNESS_HALF_LIFE = 10 * DAY;

    /** A published item. */
    public record Item(String id, String title, String category, String author, List<String> tags, long publishedAt) {
    }

    /** One interaction: kind is VIEW, LIKE, SHARE, COMMENT or DISMISS. */
    public record Event(String user, String item, String kind, long timestamp) {
    }

    /**
     * What the recommenders may learn from ({@code items} published and {@code training} events before {@code cutoff}),
     * and what each user opened afterwards ({@code future}, in order, only items that existed at the cutoff).
     */
    public record Split(List<Item> items, List<Event> training, Map<String, List<String>> future, long start, long cutoff) {

        /** The items published by the cutoff. */
        public List<Item> catalog() {
            return items.stream().filter(item -> item.publishedAt() <= cutoff).toList();
        }
    }

    /** The size of a world. */
    public record Size(int users, int items, int interactionsPerUser, int days) {
        public static final Size SMALL = new Size(300, 400, 30, 14);
        public static final Size FULL = new Size(3_000, 1_500, 60, 21);
    }

    private record Taste(String first, String second, String drifted, Set<String> authors) {
    }

    private TasteWorld() {
    }

    /** A world of {@code size}, the same for the same seed; the last tenth of its days is held out. */
    public static Split generate(Size size, long seed) {
        Random random = new Random(seed);
        long start = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
        long end = start + size.days() * DAY;
        long cutoff = end - (end - start) / 10;

        List<Item> items = new ArrayList<>();
        Map<String, Double> quality = new HashMap<>();
        for (int i = 0; i < size.items(); i++) {
            String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            int home = CATEGORIES.indexOf(category);
            String author = "author-" + (home + CATEGORIES.size() * random.nextInt(AUTHORS / CATEGORIES.size()));
            List<String> tags = List.of("tag-" + (home + CATEGORIES.size() * random.nextInt(TAGS / CATEGORIES.size())),
                    "tag-" + random.nextInt(TAGS));
            // A fifth of the catalog exists at the start; the rest is published all along.
            long publishedAt = random.nextDouble() < 0.2 ? start - (long) (random.nextDouble() * 7 * DAY)
                    : start + (long) (random.nextDouble() * (end - start));
            String id = String.format("item-%05d", i);
            items.add(new Item(id, category + " story " + i, category, author, tags, publishedAt));
            quality.put(id, Math.exp(random.nextGaussian() * 0.8));
        }
        items.sort(Comparator.comparingLong(Item::publishedAt).thenComparing(Item::id));

        Map<String, List<Item>> byCategory = new HashMap<>();
        items.forEach(item -> byCategory.computeIfAbsent(item.category(), c -> new ArrayList<>()).add(item));
        List<Event> events = new ArrayList<>();
        for (int u = 0; u < size.users(); u++) {
            String user = String.format("user-%05d", u);
            events.addAll(sessions(user, taste(random), items, byCategory, quality, size.interactionsPerUser(), start, end, random));
        }
        events.sort(Comparator.comparingLong(Event::timestamp).thenComparing(Event::user));

        List<Event> training = new ArrayList<>();
        Map<String, List<String>> future = new HashMap<>();
        Map<String, Long> published = new HashMap<>();
        items.forEach(item -> published.put(item.id(), item.publishedAt()));
        for (Event event : events) {
            if (event.timestamp() < cutoff) {
                training.add(event);
            } else if (!event.kind().equals("DISMISS") && published.get(event.item()) <= cutoff) {
                List<String> opened = future.computeIfAbsent(event.user(), user -> new ArrayList<>());
                if (opened.size() < 5 && !opened.contains(event.item())) {
                    opened.add(event.item());
                }
            }
        }
        return new Split(List.copyOf(items), List.copyOf(training), Map.copyOf(future), start, cutoff);
    }

    private static Taste taste(Random random) {
        int first = random.nextInt(CATEGORIES.size());
        int second = (first + 1 + random.nextInt(CATEGORIES.size() - 1)) % CATEGORIES.size();
        int drifted = random.nextDouble() < 1.0 / 3 ? (second + 1 + random.nextInt(CATEGORIES.size() - 2)) % CATEGORIES.size() : second;
        if (drifted == first) {
            drifted = second;
        }
        Set<String> authors = new LinkedHashSet<>();
        for (int category : new int[] {first, first, second}) {
            authors.add("author-" + (category + CATEGORIES.size() * random.nextInt(AUTHORS / CATEGORIES.size())));
        }
        return new Taste(CATEGORIES.get(first), CATEGORIES.get(second), CATEGORIES.get(drifted), authors);
    }

    private static List<Event> sessions(String user, Taste taste, List<Item> items, Map<String, List<Item>> byCategory,
                                        Map<String, Double> quality, int interactions,
                                        long start, long end, Random random) {
        List<Event> events = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Long> sessionStarts = new ArrayList<>();
        for (int s = 0; s < Math.max(1, interactions / 5); s++) {
            sessionStarts.add(start + (long) (random.nextDouble() * (end - start)));
        }
        sessionStarts.sort(null);
        for (long t : sessionStarts) {
            boolean drifted = t > start + (end - start) / 2;
            String second = drifted ? taste.drifted() : taste.second();
            String category = random.nextDouble() < 0.6 ? taste.first() : second;
            int length = 3 + random.nextInt(6);
            for (int i = 0; i < length; i++) {
                t += 30_000 + random.nextInt(150_000);
                boolean popular = random.nextDouble() < 0.15;
                Item item = popular ? pick(items, quality, t, null, seen, random)
                        : pick(byCategory.get(category), quality, t, taste.authors(), seen, random);
                if (item == null) {
                    continue;
                }
                seen.add(item.id());
                String kind = !popular || random.nextDouble() < 0.8 ? kind(random) : "DISMISS";
                events.add(new Event(user, item.id(), kind, t));
            }
        }
        return events;
    }

    private static String kind(Random random) {
        double r = random.nextDouble();
        return r < 0.80 ? "VIEW" : r < 0.90 ? "LIKE" : r < 0.95 ? "SHARE" : "COMMENT";
    }

    /** An item of {@code items} published by {@code t}, not seen yet, drawn by quality, freshness and a liked author. */
    private static Item pick(List<Item> items, Map<String, Double> quality, long t, Set<String> authors, Set<String> seen,
                             Random random) {
        if (items == null) {
            return null;
        }
        double total = 0;
        double[] weights = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.publishedAt() > t) {
                break;
            }
            if (seen.contains(item.id())) {
                continue;
            }
            double age = (t - item.publishedAt()) / (double) FRESHNESS_HALF_LIFE;
            double weight = quality.get(item.id()) * Math.pow(0.5, age) * (authors != null && authors.contains(item.author()) ? 4 : 1);
            weights[i] = weight;
            total += weight;
        }
        if (total == 0) {
            return null;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r <= 0 && weights[i] > 0) {
                return items.get(i);
            }
        }
        return null;
    }
}

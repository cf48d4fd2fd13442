package io.millrace.bench.simulate.recommendations;

import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.recommendations.RecommendationsPipeline;
import io.millrace.topology.recommendations.RecommendationsTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A content site: 12 categories, 300 authors each writing mostly in one, a catalog of 5,000 items to start with and new
 * items published all the time (about one event in a thousand), now and then one deleted. 200,000 users, a few far more
 * active than most (a power law), each with hidden tastes: two or three favourite categories that drift (one of them
 * changes every few hours of a user's time) and favourite authors. Users come in sessions of a few to a few dozen
 * interactions, mostly views, some likes, shares, comments, purchases, downloads and dismissals; within a session they
 * mostly read their favourite categories, fresh and popular items more than old ones, and a newly published item draws a
 * burst of views for its first minutes. About 0.1 % of records are bad: undecodable, an unknown kind, a malformed id, an
 * item that was never published.
 */
public final class RecommendationsSimulator implements Simulator {

    static final String[] CATEGORIES = {"news", "sport", "science", "tech", "arts", "travel", "food", "music", "games", "health",
            "business", "world"};
    static final int AUTHORS = 300;
    static final int USERS = 200_000;
    static final int INITIAL_ITEMS = 5_000;
    static final int STARTING_ITEMS = 120;
    /** Items per category a session picks from: the newest; older ones are rarely read. */
    static final int RECENT_PER_CATEGORY = 2_000;
    private static final String[] TAGS = {"analysis", "breaking", "explainer", "interview", "review", "guide", "opinion", "live",
            "video", "podcast", "long-read", "data"};
    private static final long BURST_MS = 5 * 60_000;
    private static final long TASTE_PERIOD_MS = 3 * 3_600_000L;
    private static final int OPEN_SESSIONS = 5_000;

    private final RecommendationsTopics topics;
    private final Map<String, List<String>> byCategory = new HashMap<>();
    private final List<String> fresh = new ArrayList<>();
    private final Map<String, Long> publishedAt = new HashMap<>();
    private final Map<String, String> categories = new HashMap<>();
    private final List<Session> sessions = new ArrayList<>();
    private int published;
    private long sequence;

    /** A user reading: how many interactions are left in this visit. */
    private record Session(int user, int[] left) {
    }

    public RecommendationsSimulator(PipelineContext context) {
        this.topics = new RecommendationsTopics(context.serdes());
        for (String category : CATEGORIES) {
            byCategory.put(category, new ArrayList<>());
        }
    }

    @Override
    public String pipeline() {
        return RecommendationsPipeline.NAME;
    }

    @Override
    public String outputTopic() {
        return RecommendationsTopics.FEED_UPDATES;
    }

    /** The catalog a site starts with, published over the past week. */
    @Override
    public List<SimulatedEvent> standingState(SplittableRandom random, long nowMillis) {
        List<SimulatedEvent> catalog = new ArrayList<>(INITIAL_ITEMS);
        while (published < INITIAL_ITEMS) {
            catalog.add(publish(random, nowMillis - random.nextLong(7 * 24 * 3_600_000L)));
        }
        return catalog;
    }

    @Override
    public SimulatedEvent next(SplittableRandom random, long nowMillis) {
        // Without the standing catalog (simulate, the demo): a few items per category first, then the rest of the week's
        // catalog among the first interactions, so that readers read from the start.
        if (published < INITIAL_ITEMS && (published < STARTING_ITEMS || random.nextBoolean())) {
            return publish(random, nowMillis - random.nextLong(7 * 24 * 3_600_000L));
        }
        double roll = random.nextDouble();
        if (roll < 0.0004) {
            return SimulatedEvent.garbage(random.nextBoolean() ? RecommendationsTopics.INTERACTIONS : RecommendationsTopics.ITEMS,
                    "garbage-" + sequence++);
        }
        if (roll < 0.001) {
            return bad(random, nowMillis);
        }
        if (roll < 0.002) {
            return publish(random, nowMillis);
        }
        if (roll < 0.00205) {
            return delete(random, nowMillis);
        }
        return interaction(random, nowMillis);
    }

    private SimulatedEvent publish(SplittableRandom random, long at) {
        int author = random.nextInt(AUTHORS);
        // An author writes mostly in a home category.
        String category = random.nextDouble() < 0.8 ? CATEGORIES[author % CATEGORIES.length] : CATEGORIES[random.nextInt(CATEGORIES.length)];
        String itemId = "item-" + published++;
        List<String> tags = new ArrayList<>(List.of(category));
        for (int i = random.nextInt(3); i > 0; i--) {
            String tag = TAGS[random.nextInt(TAGS.length)];
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        ContentItem item = new ContentItem(itemId, "A " + category + " story, number " + published, "https://content.example/" + category
                + "/" + itemId, category, "author-" + author, tags, at, at);
        List<String> items = byCategory.get(category);
        items.add(itemId);
        if (items.size() > RECENT_PER_CATEGORY) {
            String old = items.remove(0);
            publishedAt.remove(old);
            categories.remove(old);
        }
        publishedAt.put(itemId, at);
        categories.put(itemId, category);
        if (published > INITIAL_ITEMS) {
            fresh.add(itemId);
        }
        return SimulatedEvent.of(topics.items(), itemId, item);
    }

    private SimulatedEvent delete(SplittableRandom random, long now) {
        List<String> items = byCategory.get(CATEGORIES[random.nextInt(CATEGORIES.length)]);
        if (items.size() < 2) {
            return interaction(random, now);
        }
        String itemId = items.remove(random.nextInt(items.size()));
        publishedAt.remove(itemId);
        categories.remove(itemId);
        fresh.remove(itemId);
        return SimulatedEvent.of(topics.items(), itemId, null);
    }

    private SimulatedEvent interaction(SplittableRandom random, long now) {
        Session session = session(random);
        String user = "user-" + session.user();
        String itemId = item(random, session.user(), now);
        return SimulatedEvent.of(topics.interactions(), user, new Interaction(user, itemId, kind(random), now));
    }

    /** An open session most of the time; otherwise a user (few users far more often than most) starts one. */
    private Session session(SplittableRandom random) {
        if (!sessions.isEmpty() && (sessions.size() >= OPEN_SESSIONS || random.nextDouble() < 0.85)) {
            int at = random.nextInt(sessions.size());
            Session session = sessions.get(at);
            if (--session.left()[0] <= 0) {
                sessions.set(at, sessions.get(sessions.size() - 1));
                sessions.remove(sessions.size() - 1);
            }
            return session;
        }
        int user = (int) Math.min(USERS - 1, Math.floor(Math.pow(random.nextDouble(), 2.5) * USERS));
        Session session = new Session(user, new int[] {2 + random.nextInt(30)});
        sessions.add(session);
        return session;
    }

    /** What a user reads: a fresh item in its burst, or one of their favourite categories, newer and popular first. */
    private String item(SplittableRandom random, int user, long now) {
        while (!fresh.isEmpty() && now - publishedAt.getOrDefault(fresh.get(0), 0L) > BURST_MS) {
            fresh.remove(0);
        }
        if (!fresh.isEmpty() && random.nextDouble() < 0.1) {
            String candidate = fresh.get(random.nextInt(fresh.size()));
            String category = categories.get(candidate);
            if (category != null && likes(user, category, now)) {
                return candidate;
            }
        }
        String category = random.nextDouble() < 0.85 ? favourite(random, user, now) : CATEGORIES[random.nextInt(CATEGORIES.length)];
        List<String> items = byCategory.get(category);
        if (items.isEmpty()) {
            return "item-0";
        }
        // The newest are read most: a power law over the items from the newest back.
        int back = (int) Math.floor(Math.pow(random.nextDouble(), 3) * items.size());
        return items.get(items.size() - 1 - back);
    }

    /** A user's two or three favourite categories at {@code now}; one of them drifts every few hours. */
    private static String[] favourites(int user, long now) {
        int base = Math.floorMod(user * 7919, CATEGORIES.length);
        int drift = (int) Math.floorMod(now / TASTE_PERIOD_MS + user, CATEGORIES.length);
        return user % 3 == 0 ? new String[] {CATEGORIES[base], CATEGORIES[(base + 5) % CATEGORIES.length], CATEGORIES[drift]}
                : new String[] {CATEGORIES[base], CATEGORIES[drift]};
    }

    private static String favourite(SplittableRandom random, int user, long now) {
        String[] favourites = favourites(user, now);
        return favourites[random.nextDouble() < 0.6 ? 0 : 1 + random.nextInt(favourites.length - 1)];
    }

    private static boolean likes(int user, String category, long now) {
        for (String favourite : favourites(user, now)) {
            if (favourite.equals(category)) {
                return true;
            }
        }
        return false;
    }

    private static InteractionKind kind(SplittableRandom random) {
        double roll = random.nextDouble();
        return roll < 0.80 ? InteractionKind.VIEW : roll < 0.88 ? InteractionKind.LIKE : roll < 0.91 ? InteractionKind.SHARE
                : roll < 0.94 ? InteractionKind.COMMENT : roll < 0.98 ? InteractionKind.DISMISS : roll < 0.99 ? InteractionKind.PURCHASE
                : InteractionKind.DOWNLOAD;
    }

    /** A record that decodes but breaks a rule: an unknown kind, a malformed user or item id, an item never published. */
    private SimulatedEvent bad(SplittableRandom random, long now) {
        String user = "user-" + random.nextInt(USERS);
        return switch (random.nextInt(4)) {
            case 0 -> SimulatedEvent.of(topics.interactions(), user, new Interaction(user, "item-1", InteractionKind.UNKNOWN, now));
            case 1 -> SimulatedEvent.of(topics.interactions(), "bad user!", new Interaction("bad user!", "item-1", InteractionKind.VIEW, now));
            case 2 -> SimulatedEvent.of(topics.interactions(), user, new Interaction(user, "item|" + sequence++, InteractionKind.VIEW, now));
            default -> SimulatedEvent.of(topics.interactions(), user, new Interaction(user, "never-" + sequence++, InteractionKind.VIEW, now));
        };
    }
}

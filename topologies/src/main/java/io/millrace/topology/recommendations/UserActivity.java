package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.CoViews;
import io.millrace.schemas.recommendations.FeedState;
import io.millrace.schemas.recommendations.FeedUpdate;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.TrendSignal;
import io.millrace.schemas.recommendations.UserProfile;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A partition of users: each interaction, once its item is in the catalog, updates the user's profile and sends the item's
 * trending signal (by category) and the items it was seen with in the session (by item, both ways). An interaction on an
 * item not in the catalog waits up to {@code unknownItemGrace} (wall clock) for it, then is rejected ({@code UNKNOWN_ITEM}).
 * Every {@code feedRefresh} the feeds of the users active lately that may have changed are recomputed, at most
 * {@code maxRefreshesPerTick} per task and tick, in turn, and the items that entered a user's top are sent to the user.
 */
final class UserActivity implements Processor<String, Interaction, String, ActivityOutput> {

    /** Active users looked at per refresh at most, due or not: bounds a refresh's scan as the active set grows. */
    static final int MAX_SCANNED_PER_TICK = 20_000;

    private final RecommendationsConfig config;
    private final Rejections rejections;
    private final InterestProfiles profiles;
    private final FeedRanker ranker;
    private ProcessorContext<String, ActivityOutput> context;
    private KeyValueStore<String, UserProfile> profileStore;
    private KeyValueStore<String, FeedState> activeFeeds;
    private KeyValueStore<String, Interaction> pending;
    private Catalogue catalogue;
    private long pendingCount;
    private String refreshCursor = "";
    private final Map<String, Long> refreshedAt = new HashMap<>();

    UserActivity(RecommendationsConfig config, Rejections rejections) {
        this.config = config;
        this.rejections = rejections;
        this.profiles = new InterestProfiles(config);
        this.ranker = new FeedRanker(config);
    }

    @Override
    public void init(ProcessorContext<String, ActivityOutput> context) {
        this.context = context;
        this.profileStore = context.getStateStore(RecommendationsStores.PROFILES);
        this.activeFeeds = context.getStateStore(RecommendationsStores.ACTIVE_FEEDS);
        this.pending = context.getStateStore(RecommendationsStores.PENDING);
        this.catalogue = Catalogue.of(context);
        this.pendingCount = pending.approximateNumEntries();
        java.time.Duration pendingCheck = config.unknownItemGrace().compareTo(java.time.Duration.ofSeconds(1)) < 0
                ? config.unknownItemGrace() : java.time.Duration.ofSeconds(1);
        context.schedule(pendingCheck, PunctuationType.WALL_CLOCK_TIME, this::retryPending);
        context.schedule(config.feedRefresh(), PunctuationType.WALL_CLOCK_TIME, this::refreshFeeds);
    }

    @Override
    public void process(Record<String, Interaction> record) {
        Interaction interaction = record.value();
        Optional<ContentItem> item = catalogue.item(interaction.getItem());
        if (item.isPresent()) {
            apply(interaction, item.get());
        } else if (pendingCount < config.maxPending()) {
            long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(0L);
            pending.put(String.format("%013d|%s|%d", context.currentSystemTimeMs(), record.key(), offset), interaction);
            pendingCount++;
        } else {
            reject(interaction, "no item " + interaction.getItem() + " in the catalog, and " + config.maxPending()
                    + " interactions already wait for theirs");
        }
    }

    private void apply(Interaction interaction, ContentItem item) {
        String user = interaction.getUser();
        long at = interaction.getTimestamp();
        InterestProfiles.Applied applied = profiles.apply(profileStore.get(user), user, item, interaction.getKind(), at);
        profileStore.put(user, applied.profile());
        FeedState feed = activeFeeds.get(user);
        activeFeeds.put(user, new FeedState(context.currentSystemTimeMs(), feed == null ? List.of() : feed.getTop()));
        double weight = config.weight(interaction.getKind());
        if (weight > 0) {
            context.forward(new Record<>(item.getCategory(), ActivityOutput.signal(new TrendSignal(item.getItemId(), item.getCategory(),
                    weight, false, at)), at));
        }
        if (!applied.seenWith().isEmpty()) {
            context.forward(new Record<>(item.getItemId(), ActivityOutput.coViews(new CoViews(item.getItemId(), applied.seenWith(), at)), at));
            for (String other : applied.seenWith()) {
                context.forward(new Record<>(other, ActivityOutput.coViews(new CoViews(other, List.of(item.getItemId()), at)), at));
            }
        }
    }

    /** Interactions whose item has arrived are applied; those whose grace is over are rejected. */
    private void retryPending(long now) {
        String due = String.format("%013d|", now - config.unknownItemGrace().toMillis());
        List<KeyValue<String, Interaction>> waiting = new ArrayList<>();
        try (KeyValueIterator<String, Interaction> all = pending.all()) {
            all.forEachRemaining(waiting::add);
        }
        for (KeyValue<String, Interaction> entry : waiting) {
            Optional<ContentItem> item = catalogue.item(entry.value.getItem());
            if (item.isPresent()) {
                apply(entry.value, item.get());
            } else if (entry.key.compareTo(due) < 0) {
                reject(entry.value, "no item " + entry.value.getItem() + " in the catalog (unknown or deleted) within "
                        + config.unknownItemGrace().toMillis() + " ms");
            } else {
                continue;
            }
            pending.delete(entry.key);
            pendingCount--;
        }
    }

    private void reject(Interaction interaction, String reason) {
        context.forward(new Record<>(interaction.getUser(), ActivityOutput.rejected(rejections.reject(
                new Violation(InteractionRules.UNKNOWN_ITEM, reason), RecommendationsTopics.INTERACTIONS, interaction, context)),
                context.currentSystemTimeMs()));
    }

    /**
     * The next users active lately, in turn, whose feed may have changed: those who interacted since their last refresh,
     * and the others every {@code feedIdleRefresh} (new items and trending move their feeds too). Their feed recomputed,
     * what entered its top is sent to them. When their last refresh was is kept in memory: after a restart every active
     * user is refreshed once.
     */
    private void refreshFeeds(long now) {
        List<KeyValue<String, FeedState>> due = new ArrayList<>();
        List<String> inactive = new ArrayList<>();
        int scanned = 0;
        try (KeyValueIterator<String, FeedState> next = activeFeeds.range(refreshCursor.isEmpty() ? null : refreshCursor, null)) {
            while (next.hasNext() && due.size() < config.maxRefreshesPerTick() && scanned < MAX_SCANNED_PER_TICK) {
                KeyValue<String, FeedState> entry = next.next();
                scanned++;
                Long refreshed = refreshedAt.get(entry.key);
                if (now - entry.value.getLastActiveAt() > config.activeWindow().toMillis()) {
                    inactive.add(entry.key);
                } else if (refreshed == null || entry.value.getLastActiveAt() >= refreshed
                        || now - refreshed >= config.feedIdleRefresh().toMillis()) {
                    due.add(entry);
                }
            }
            refreshCursor = next.hasNext() ? next.peekNextKey() : "";
        }
        for (String user : inactive) {
            activeFeeds.delete(user);
            refreshedAt.remove(user);
        }
        // One reading of the trending lists for every feed of this refresh. A refresh takes at most its budget of the
        // stream thread (elapsed time): what is left waits for the next, first in line, so processing never starves.
        Catalogue lists = Catalogue.withTrendingCached(catalogue, () -> now, Long.MAX_VALUE);
        long deadline = System.nanoTime() + config.feedRefreshBudget().toNanos();
        int refreshed = 0;
        for (KeyValue<String, FeedState> entry : due) {
            if (refreshed > 0 && System.nanoTime() > deadline) {
                refreshCursor = entry.key;
                break;
            }
            String user = entry.key;
            List<String> top = ranker.feed(profileStore.get(user), config.feedTop(), lists, now).stream()
                    .map(feedEntry -> feedEntry.item().getItemId()).toList();
            refreshedAt.put(user, now);
            refreshed++;
            List<String> entered = top.stream().filter(item -> !entry.value.getTop().contains(item)).toList();
            if (!entered.isEmpty()) {
                context.forward(new Record<>(user, ActivityOutput.feedUpdate(new FeedUpdate(user, entered, top, now)), now));
            }
            if (!top.equals(entry.value.getTop())) {
                activeFeeds.put(user, new FeedState(entry.value.getLastActiveAt(), top));
            }
        }
    }
}

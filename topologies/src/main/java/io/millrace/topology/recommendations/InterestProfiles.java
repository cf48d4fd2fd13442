package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.Affinity;
import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.schemas.recommendations.UserProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How an interaction changes a user's profile: decayed affinities to the item's category, author and tags (at most
 * {@code profileEntries} per dimension: the weakest make room), the item seen or dismissed (the oldest of
 * {@code seenItems} make room), and the session, which a pause of {@code sessionGap} ends.
 */
final class InterestProfiles {

    /** The profile after an interaction, and the session's items the interaction's item was first seen with (to pair). */
    record Applied(UserProfile profile, List<String> seenWith) {
    }

    private final RecommendationsConfig config;

    InterestProfiles(RecommendationsConfig config) {
        this.config = config;
    }

    Applied apply(UserProfile current, String user, ContentItem item, InteractionKind kind, long at) {
        UserProfile profile = current != null ? current : UserProfile.newBuilder().setUser(user).setLastAt(at).build();
        String itemId = item.getItemId();
        profile.setInteractions(profile.getInteractions() + 1);
        profile.setLastAt(Math.max(profile.getLastAt(), at));
        if (kind == InteractionKind.DISMISS) {
            profile.setDismissed(remembered(profile.getDismissed(), itemId));
            return new Applied(profile, List.of());
        }
        double weight = config.weight(kind);
        if (weight > 0) {
            double added = LogScore.of(weight, at, config.profileHalfLife());
            profile.setCategories(added(profile.getCategories(), item.getCategory(), added, at));
            profile.setAuthors(added(profile.getAuthors(), item.getAuthor(), added, at));
            List<Affinity> tags = profile.getTags();
            for (String tag : item.getTags()) {
                tags = added(tags, tag, added, at);
            }
            profile.setTags(tags);
        }
        profile.setSeen(remembered(profile.getSeen(), itemId));
        List<Affinity> session = new ArrayList<>(profile.getSession());
        if (!session.isEmpty() && at - session.get(session.size() - 1).getLastAt() > config.sessionGap().toMillis()) {
            session.clear();
        }
        boolean already = session.removeIf(entry -> entry.getKey().equals(itemId));
        List<String> seenWith = new ArrayList<>();
        if (!already) {
            for (int i = session.size() - 1; i >= 0 && seenWith.size() < config.sessionItems(); i--) {
                seenWith.add(session.get(i).getKey());
            }
        }
        session.add(new Affinity(itemId, 0.0, at));
        while (session.size() > config.sessionItems() * 4) {
            session.remove(0);
        }
        profile.setSession(session);
        return new Applied(profile, seenWith);
    }

    /** {@code affinities} with {@code logScore} added to {@code key}'s, the weakest dropped beyond the bound. */
    private List<Affinity> added(List<Affinity> affinities, String key, double logScore, long at) {
        List<Affinity> next = new ArrayList<>(affinities.size() + 1);
        boolean found = false;
        for (Affinity affinity : affinities) {
            if (affinity.getKey().equals(key)) {
                next.add(new Affinity(key, LogScore.add(affinity.getLogScore(), logScore), Math.max(at, affinity.getLastAt())));
                found = true;
            } else {
                next.add(affinity);
            }
        }
        if (!found) {
            next.add(new Affinity(key, logScore, at));
        }
        if (next.size() > config.profileEntries()) {
            next.sort(Comparator.comparingDouble(Affinity::getLogScore).reversed());
            next = new ArrayList<>(next.subList(0, config.profileEntries()));
        }
        return next;
    }

    /** {@code items} with {@code item} last, once, the oldest dropped beyond the bound. */
    private List<String> remembered(List<String> items, String item) {
        List<String> next = new ArrayList<>(items);
        next.remove(item);
        next.add(item);
        return next.size() <= config.seenItems() ? next : new ArrayList<>(next.subList(next.size() - config.seenItems(), next.size()));
    }
}

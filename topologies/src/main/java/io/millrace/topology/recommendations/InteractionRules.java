package io.millrace.topology.recommendations;

import io.millrace.schemas.recommendations.ContentItem;
import io.millrace.schemas.recommendations.Interaction;
import io.millrace.schemas.recommendations.InteractionKind;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;

/** What an interaction and a catalog item must be to count: ids, a known kind, the key they are partitioned by. */
public final class InteractionRules {

    public static final String UNKNOWN_KIND = "UNKNOWN_KIND";
    public static final String UNKNOWN_ITEM = "UNKNOWN_ITEM";
    public static final String INVALID_ITEM = "INVALID_ITEM";
    static final int MAX_TAGS = 20;
    static final int MAX_URL_LENGTH = 2_048;

    private InteractionRules() {
    }

    /** An interaction keyed by its user, with ids for user and item and a kind this version knows. */
    public static Optional<Violation> check(String key, Interaction interaction) {
        Optional<Violation> ids = Identifiers.id("user", interaction.getUser()).or(() -> Identifiers.id("item", interaction.getItem()));
        if (ids.isPresent()) {
            return ids;
        }
        if (interaction.getKind() == InteractionKind.UNKNOWN) {
            return Violation.of(UNKNOWN_KIND, "the kind of interaction is not one of VIEW, LIKE, SHARE, COMMENT, PURCHASE, DOWNLOAD, DISMISS");
        }
        if (!interaction.getUser().equals(key)) {
            return Violation.of(Violation.KEY_MISMATCH, "an interaction is keyed by its user, " + interaction.getUser());
        }
        return Optional.empty();
    }

    /** A catalog item keyed by its id, with a title, a url, a category and an author, at most {@value #MAX_TAGS} tags. */
    public static Optional<Violation> item(String key, ContentItem item) {
        Optional<Violation> id = Identifiers.id("itemId", item.getItemId());
        if (id.isPresent()) {
            return id;
        }
        if (!item.getItemId().equals(key)) {
            return Violation.of(Violation.KEY_MISMATCH, "an item is keyed by its id, " + item.getItemId());
        }
        Optional<Violation> names = Identifiers.label("title", item.getTitle())
                .or(() -> Identifiers.label("category", item.getCategory()))
                .or(() -> Identifiers.label("author", item.getAuthor()))
                .or(() -> item.getTags().stream().map(tag -> Identifiers.label("tag", tag)).flatMap(Optional::stream).findFirst());
        if (names.isPresent()) {
            return names;
        }
        if (item.getTags().size() > MAX_TAGS) {
            return Violation.of(INVALID_ITEM, "an item has at most " + MAX_TAGS + " tags, this one " + item.getTags().size());
        }
        if (item.getUrl() == null || item.getUrl().isBlank() || item.getUrl().length() > MAX_URL_LENGTH) {
            return Violation.of(INVALID_ITEM, "an item's url is 1 to " + MAX_URL_LENGTH + " characters");
        }
        if (item.getPublishedAt() <= 0) {
            return Violation.of(INVALID_ITEM, "an item's publishedAt is epoch millis, was " + item.getPublishedAt());
        }
        return Optional.empty();
    }
}

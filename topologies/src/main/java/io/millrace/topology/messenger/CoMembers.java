package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupMember;
import io.millrace.schemas.messenger.InboxEntry;
import io.millrace.schemas.messenger.UserEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Who hears of a user's presence and typing, read in the user's own task: the other user of each of their direct
 * conversations (from their inbox) and the other members of each of their groups (from the rosters the
 * conversations' tasks send them, {@link MessengerStores#MEMBER_GROUPS}).
 */
final class CoMembers {

    /**
     * A presence change reaches at most this many people, each once: direct partners first, then the members of the
     * user's groups, group by group in id order. Beyond it, others learn the user's presence only when it next changes
     * within the bound, or from the user's messages and receipts.
     */
    static final int MAX_PRESENCE_AUDIENCE = 1_000;

    private final KeyValueStore<String, InboxEntry> inbox;
    private final KeyValueStore<String, Group> groups;

    static CoMembers of(ProcessingContext context) {
        return new CoMembers(context.getStateStore(MessengerStores.INBOX), context.getStateStore(MessengerStores.MEMBER_GROUPS));
    }

    CoMembers(KeyValueStore<String, InboxEntry> inbox, KeyValueStore<String, Group> groups) {
        this.inbox = inbox;
        this.groups = groups;
    }

    /** The events a change of {@code user}'s presence makes, one per person who hears of it, at {@code time}. */
    List<UserEvent> eventsOf(PresenceBook.Change change, long time) {
        String user = change.user();
        List<UserEvent> events = new ArrayList<>();
        if (change.wasOnline() != change.isOnline()) {
            for (String other : ofPresence(user)) {
                events.add(UserEvents.presence(other, user, change.isOnline(), time));
            }
        }
        for (String conversation : change.startedTyping()) {
            for (String other : in(user, conversation)) {
                events.add(UserEvents.typing(other, conversation, user, true, time));
            }
        }
        for (String conversation : change.stoppedTyping()) {
            for (String other : in(user, conversation)) {
                events.add(UserEvents.typing(other, conversation, user, false, time));
            }
        }
        return events;
    }

    /** The others in {@code conversation}: the other user of a direct one; the other members of a group the user is in, or no one. */
    List<String> in(String user, String conversation) {
        if (ConversationIds.isDirect(conversation)) {
            return ConversationIds.peer(conversation, user).stream().toList();
        }
        Group group = groups.get(StoreKeys.join(user, conversation));
        if (group == null) {
            return List.of();
        }
        return group.getMembers().stream().map(GroupMember::getUser).filter(other -> !other.equals(user)).toList();
    }

    /** Everyone {@code user} shares a conversation with, each once, at most {@value #MAX_PRESENCE_AUDIENCE}. */
    Set<String> ofPresence(String user) {
        Set<String> audience = new LinkedHashSet<>();
        try (KeyValueIterator<String, InboxEntry> direct = inbox.prefixScan(StoreKeys.prefix(user) + ConversationIds.DIRECT_PREFIX,
                Serdes.String().serializer())) {
            while (direct.hasNext() && audience.size() < MAX_PRESENCE_AUDIENCE) {
                audience.addAll(in(user, StoreKeys.secondOf(direct.next().key)));
            }
        }
        try (KeyValueIterator<String, Group> memberOf = groups.prefixScan(StoreKeys.prefix(user), Serdes.String().serializer())) {
            while (memberOf.hasNext() && audience.size() < MAX_PRESENCE_AUDIENCE) {
                for (GroupMember member : memberOf.next().value.getMembers()) {
                    if (!member.getUser().equals(user) && audience.size() < MAX_PRESENCE_AUDIENCE) {
                        audience.add(member.getUser());
                    }
                }
            }
        }
        return audience;
    }
}

package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.Notification;
import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.schemas.messenger.Typing;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The messenger's topics. Every topic has the same partition count because each stateful step reads
 * several of them by the same key: messages with group commands by conversation, and
 * deliveries, receipts, presence, typing and group rosters by user.
 */
public final class MessengerTopics {

    public static final int PARTITIONS = 6;
    private static final String ONE_DAY_MS = String.valueOf(24L * 3600 * 1000);

    /**
     * Keyed by conversation ({@link #messageKey}), like the group commands it is read with: the conversation's task
     * reads it directly, so a message is one exactly-once hop from its deliveries.
     */
    public static final String MESSAGES = "messenger.messages";
    /** Keyed by group id. */
    public static final String GROUP_COMMANDS = "messenger.group-commands";
    /** Keyed by the user who received or read. */
    public static final String RECEIPTS = "messenger.receipts";
    /** Keyed by user. */
    public static final String PRESENCE = "messenger.presence";
    /** Keyed by the user who types. */
    public static final String TYPING = "messenger.typing";
    /** One record per member and message, keyed by recipient. */
    public static final String DELIVERIES = "messenger.deliveries";
    /** Collapsed pushes for offline users, keyed by user. */
    public static final String NOTIFICATIONS = "messenger.notifications";
    /** What a user's connected clients show at once (messages, receipts, typing, presence), keyed by that user. */
    public static final String USER_EVENTS = "messenger.user-events";

    /** Repartition topic names (Kafka Streams prefixes them with the application id and suffixes -repartition). */
    public static final String RECEIPTS_BY_CONVERSATION = "messenger-receipts-by-conversation";
    /** A group's roster after each change, once per member (and to a member who left), for presence and typing. */
    public static final String GROUPS_BY_MEMBER = "messenger-groups-by-member";

    private final Topic<String, SendMessage> messages;
    private final Topic<String, GroupCommand> groupCommands;
    private final Topic<String, ReadReceipt> receipts;
    private final Topic<String, Presence> presence;
    private final Topic<String, Typing> typing;
    private final Topic<String, Delivery> deliveries;
    private final Topic<String, Notification> notifications;
    private final Topic<String, UserEvent> userEvents;
    private final Serde<Group> groups;

    public MessengerTopics(AvroSerdes serdes) {
        Serde<String> keys = Serdes.String();
        // A message may carry a 64 KiB body or as much ciphertext, besides its ids.
        messages = new Topic<>(TopicSpec.events(MESSAGES, PARTITIONS), keys, serdes.value(SendMessage.class))
                .withMaxEventBytes(160 * 1024);
        groupCommands = new Topic<>(TopicSpec.events(GROUP_COMMANDS, PARTITIONS), keys, serdes.value(GroupCommand.class));
        receipts = new Topic<>(TopicSpec.events(RECEIPTS, PARTITIONS), keys, serdes.value(ReadReceipt.class));
        presence = new Topic<>(TopicSpec.events(PRESENCE, PARTITIONS).with("retention.ms", ONE_DAY_MS), keys,
                serdes.value(Presence.class));
        typing = new Topic<>(TopicSpec.events(TYPING, PARTITIONS).with("retention.ms", ONE_DAY_MS), keys, serdes.value(Typing.class));
        // A delivery carries the message, sealed: the inbox projection reads one as large as the largest message.
        deliveries = new Topic<>(TopicSpec.events(DELIVERIES, PARTITIONS), keys, serdes.value(Delivery.class)).withMaxEventBytes(160 * 1024);
        notifications = new Topic<>(TopicSpec.events(NOTIFICATIONS, PARTITIONS), keys, serdes.value(Notification.class));
        // Kept as long as deliveries: a client that reconnects within a week resumes from its last event.
        userEvents = new Topic<>(TopicSpec.events(USER_EVENTS, PARTITIONS), keys, serdes.value(UserEvent.class))
                .withMaxEventBytes(160 * 1024);
        groups = serdes.value(Group.class);
    }

    public Topic<String, SendMessage> messages() {
        return messages;
    }

    public Topic<String, GroupCommand> groupCommands() {
        return groupCommands;
    }

    public Topic<String, ReadReceipt> receipts() {
        return receipts;
    }

    public Topic<String, Presence> presence() {
        return presence;
    }

    public Topic<String, Typing> typing() {
        return typing;
    }

    public Topic<String, Delivery> deliveries() {
        return deliveries;
    }

    public Topic<String, Notification> notifications() {
        return notifications;
    }

    public Topic<String, UserEvent> userEvents() {
        return userEvents;
    }

    /** Values of the groups-by-member repartition topic. */
    public Serde<Group> groups() {
        return groups;
    }

    /** The key a message is written with: its conversation, a group id or {@code dm:<a>:<b>}. */
    public static String messageKey(SendMessage message) {
        return ConversationIds.of(message.getConversationType(), message.getSender(), message.getTo());
    }

    /** What producers (and the HTTP API) write. */
    public List<Topic<String, ?>> inputs() {
        return List.of(messages, groupCommands, receipts, presence, typing);
    }

    public List<TopicSpec> specs() {
        return List.of(messages.spec(), groupCommands.spec(), receipts.spec(), presence.spec(), typing.spec(), deliveries.spec(),
                notifications.spec(), userEvents.spec());
    }
}

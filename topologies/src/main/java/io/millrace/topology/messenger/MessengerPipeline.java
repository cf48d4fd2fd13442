package io.millrace.topology.messenger;

import static io.millrace.topology.messenger.MessengerStores.CONVERSATION_MESSAGES;
import static io.millrace.topology.messenger.MessengerStores.CONVERSATION_SEQUENCES;
import static io.millrace.topology.messenger.MessengerStores.GROUPS;
import static io.millrace.topology.messenger.MessengerStores.HELD_DEADLINES;
import static io.millrace.topology.messenger.MessengerStores.HELD_MESSAGES;
import static io.millrace.topology.messenger.MessengerStores.INBOX;
import static io.millrace.topology.messenger.MessengerStores.MEMBER_GROUPS;
import static io.millrace.topology.messenger.MessengerStores.MESSAGE_LOCATIONS;
import static io.millrace.topology.messenger.MessengerStores.NOTIFICATION_DEADLINES;
import static io.millrace.topology.messenger.MessengerStores.PENDING_NOTIFICATIONS;
import static io.millrace.topology.messenger.MessengerStores.PRESENCE;
import static io.millrace.topology.messenger.MessengerStores.PRESENCE_DEADLINES;
import static io.millrace.topology.messenger.MessengerStores.RECEIPTS;
import static io.millrace.topology.messenger.MessengerStores.SEARCH_INDEX;
import static io.millrace.topology.messenger.MessengerStores.SEARCH_MESSAGES;

import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.topology.Pipeline;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.Settings;
import io.millrace.topology.Topic;
import io.millrace.topology.TopicSpec;
import io.millrace.topology.messenger.crypto.PlatformKeys;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.StoreReader;
import io.millrace.topology.runtime.Violation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Messaging fan-out (SYSTEMS.md §1): ordered conversations with sequences assigned exactly once, one
 * delivery per member, inboxes with unread counts, receipts, presence and typing, collapsed pushes for
 * offline users, search over a user's own messages through a blind index, and one stream of live events
 * per user (messenger.user-events). Bodies are sealed (or kept as the client's end-to-end ciphertext)
 * before anything is stored, and messages are deleted after the retention.
 */
public final class MessengerPipeline implements Pipeline {

    public static final String NAME = "messenger";

    private final PipelineContext context;
    private final MessengerSettings settings;
    private final MessengerTopics topics;
    private final Rejections rejections;
    private final PlatformKeys keys;

    public MessengerPipeline(PipelineContext context) {
        this(context, MessengerSettings.from(context.settings()));
    }

    public MessengerPipeline(PipelineContext context, MessengerSettings settings) {
        this.context = context;
        this.settings = settings;
        this.topics = new MessengerTopics(context.serdes());
        this.rejections = new Rejections(this, context);
        this.keys = PlatformKeys.derive(settings.atRestSecret());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicSpec> topics() {
        return topics.specs();
    }

    @Override
    public List<Topic<String, ?>> inputs() {
        return topics.inputs();
    }

    @Override
    public List<String> notificationTopics() {
        return List.of(MessengerTopics.NOTIFICATIONS);
    }

    @Override
    public List<String> queryableStores() {
        return MessengerStores.QUERYABLE;
    }

    /**
     * Exactly-once: a conversation's sequence, its stored message and its deliveries commit together or not at all.
     * The stores are not transactional, so their uncommitted bytes are always zero: the stream thread's per-loop
     * check of them (a position copy per store and task) is switched off. Tasks do not idle: a task with one
     * empty input (group commands are 1 % of traffic; repartition and delivery records are visible only after
     * their transaction commits) otherwise skipped turns and formatted a log line per check. Order within each
     * input partition is unchanged; across a task's inputs it is by timestamp among what is already fetched,
     * so a group command still on the broker can be processed after a later message of that conversation: the
     * sequencer holds such a message, if membership refuses it, until the command arrives or the grace passes
     * ({@link HeldMessages}).
     */
    @Override
    public Map<String, Object> streamsOverrides() {
        return Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L,
                StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG, -1L,
                StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }

    public MessengerTopics messengerTopics() {
        return topics;
    }

    /** The read side over this instance's stores, able to open the bodies it returns to their reader. */
    public MessengerQueries queries(StoreReader stores) {
        return new MessengerQueries(stores, keys);
    }

    @Override
    public void build(StreamsBuilder builder) {
        if (settings.developmentSecret()) {
            Settings.warnOnce(MessengerSettings.AT_REST_KEY, "messenger: sealing message bodies with the built-in development key; set "
                    + Settings.envName(MessengerSettings.AT_REST_KEY) + " to a base64 secret of 32+ bytes");
        }
        MessengerStores.addTo(builder, context.serdes());

        // Messages arrive keyed by conversation, so the task that orders a conversation reads them directly: checked
        // (a message under another key is rejected, never sequenced on the wrong task) and their bodies sealed before
        // anything keeps them. No repartition: a message is one exactly-once commit away from its deliveries.
        KStream<String, ConversationSequencer.Input> messages = screened(builder, topics.messages(), MessageRules::check,
                        MessageRules::withoutBody, "messenger-screen-message")
                .mapValues(message -> StoredMessages.from(message, keys.bodies()), Named.as("messenger-seal-body"))
                .mapValues(ConversationSequencer.Message::new, Named.as("messenger-message-to-sequence"));
        KStream<String, ConversationSequencer.Input> commands = rejections.events(builder, topics.groupCommands())
                .mapValues(ConversationSequencer.Command::new, Named.as("messenger-command-to-apply"));

        // Per conversation, co-partitioned with the group commands: membership, sequence, one delivery per member,
        // each group's roster to its members.
        KStream<String, ConversationSequencer.Output> sequenced = passed(commands.merge(messages, Named.as("messenger-conversation-inputs"))
                .process(() -> new ConversationSequencer(rejections, settings.retention()), Named.as("messenger-sequence-and-fan-out"),
                        GROUPS, CONVERSATION_SEQUENCES, CONVERSATION_MESSAGES, MESSAGE_LOCATIONS, HELD_MESSAGES, HELD_DEADLINES),
                "messenger-sequence-and-fan-out");
        KStream<String, Delivery> deliveries = sequenced
                .flatMapValues(out -> out instanceof ConversationSequencer.ToRecipient to ? List.of(to.delivery()) : List.<Delivery>of(),
                        Named.as("messenger-deliveries"));
        deliveries.to(MessengerTopics.DELIVERIES, topics.deliveries().produced());
        KStream<String, Group> rosters = sequenced
                .flatMapValues(out -> out instanceof ConversationSequencer.ToMember to ? List.of(to.group()) : List.<Group>of(),
                        Named.as("messenger-rosters"))
                .repartition(Repartitioned.with(Serdes.String(), topics.groups())
                        .withName(MessengerTopics.GROUPS_BY_MEMBER).withNumberOfPartitions(MessengerTopics.PARTITIONS));

        // Receipts: in the reader's task for unread counts, in the conversation's task for each message's status
        // and for telling the senders.
        KStream<String, ReadReceipt> receipts = screened(builder, topics.receipts(), EventRules::checkReceipt, receipt -> receipt,
                "messenger-screen-receipt");
        receipts.process(ReadMarker::new, Named.as("messenger-mark-read"), INBOX, PENDING_NOTIFICATIONS, NOTIFICATION_DEADLINES);
        KStream<String, UserEvent> readEvents = passed(receipts
                .selectKey((user, receipt) -> receipt.getConversation(), Named.as("messenger-key-receipt-by-conversation"))
                .repartition(Repartitioned.with(Serdes.String(), topics.receipts().valueSerde())
                        .withName(MessengerTopics.RECEIPTS_BY_CONVERSATION).withNumberOfPartitions(MessengerTopics.PARTITIONS))
                .process(() -> new ReceiptLedger(rejections), Named.as("messenger-receipt-ledger"),
                        GROUPS, CONVERSATION_SEQUENCES, RECEIPTS, CONVERSATION_MESSAGES), "messenger-receipt-ledger");
        deliveries.mapValues(UserEvents::message, Named.as("messenger-message-events"))
                .merge(readEvents, Named.as("messenger-conversation-events"))
                .to(MessengerTopics.USER_EVENTS, userEvents("conversations"));

        // Per recipient: inbox, blind search index, and collapsed pushes for whoever is not active.
        builder.stream(MessengerTopics.DELIVERIES, topics.deliveries().consumed())
                .process(() -> new InboxProjection(keys, settings.retention()), Named.as("messenger-inbox-projection"), INBOX, SEARCH_INDEX,
                        SEARCH_MESSAGES, PRESENCE, PRESENCE_DEADLINES, PENDING_NOTIFICATIONS, NOTIFICATION_DEADLINES)
                .to(MessengerTopics.NOTIFICATIONS, topics.notifications().produced());

        // Per user: the rosters of their groups, presence (a heartbeat lasts 60 s) and typing (5 s), told to the
        // people they share a conversation with.
        rosters.process(MemberGroups::new, Named.as("messenger-member-groups"), MEMBER_GROUPS);
        KStream<String, UserEvent> presenceEvents = screened(builder, topics.presence(), EventRules::checkPresence, presence -> presence,
                        "messenger-screen-presence")
                .process(PresenceTracker::new, Named.as("messenger-presence"),
                        PRESENCE, PRESENCE_DEADLINES, PENDING_NOTIFICATIONS, NOTIFICATION_DEADLINES, INBOX, MEMBER_GROUPS);
        screened(builder, topics.typing(), EventRules::checkTyping, typing -> typing, "messenger-screen-typing")
                .process(TypingTracker::new, Named.as("messenger-typing"), PRESENCE, PRESENCE_DEADLINES, INBOX, MEMBER_GROUPS)
                .merge(presenceEvents, Named.as("messenger-user-presence-events"))
                .to(MessengerTopics.USER_EVENTS, userEvents("users"));
    }

    private Produced<String, UserEvent> userEvents(String from) {
        return Produced.with(topics.userEvents().keySerde(), topics.userEvents().valueSerde())
                .withName(MessengerTopics.USER_EVENTS + "-sink-" + from);
    }

    /** Sends a step's rejections to messenger.rejected and passes the rest on. */
    private <T> KStream<String, T> passed(KStream<String, Outcome<T>> outcomes, String step) {
        return rejections.passed(outcomes, step);
    }

    /**
     * The events of an input that pass their rule; the others go to messenger.rejected as {@code shown} makes them (a
     * rejection is kept for a month and read by operators: it never gets a message body).
     */
    private <V extends SpecificRecord> KStream<String, V> screened(StreamsBuilder builder, Topic<String, V> input,
                                                                   BiFunction<String, V, Optional<Violation>> rule,
                                                                   Function<V, ? extends SpecificRecord> shown, String step) {
        return rejections.screen(builder.stream(input.name(), input.consumed()), input, rule, shown, step);
    }
}

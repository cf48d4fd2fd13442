package io.millrace.topology.messenger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.Notification;
import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.RemoveMember;
import io.millrace.schemas.messenger.RenameGroup;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.schemas.messenger.Typing;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.schemas.serde.AvroSerdes;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The messenger pipeline in a TopologyTestDriver, with helpers that speak the domain: create a group, send, read, go online. */
final class MessengerTestbed implements AutoCloseable {

    static final Instant START = Instant.parse("2025-03-14T09:00:00Z");
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-only".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    final PipelineTestDriver<MessengerPipeline> kit;
    final SimpleMeterRegistry meters;
    final AvroSerdes serdes;
    final MessengerPipeline pipeline;
    final TopologyTestDriver driver;
    final MessengerQueries queries;
    final TestInputTopic<String, SendMessage> messages;
    final TestInputTopic<String, GroupCommand> groupCommands;
    final TestInputTopic<String, ReadReceipt> receipts;
    final TestInputTopic<String, Presence> presence;
    final TestInputTopic<String, Typing> typing;
    final TestInputTopic<byte[], byte[]> rawMessages;
    final TestOutputTopic<String, Delivery> deliveries;
    final TestOutputTopic<String, Notification> notifications;
    final TestOutputTopic<String, UserEvent> userEvents;
    private long now = START.toEpochMilli();

    MessengerTestbed(Path stateDir) {
        this(stateDir, Duration.ofDays(MessengerSettings.DEFAULT_RETENTION_DAYS));
    }

    MessengerTestbed(Path stateDir, Duration retention) {
        kit = PipelineTestDriver.start(context -> new MessengerPipeline(context, new MessengerSettings(SECRET, false, retention)),
                stateDir, START);
        meters = kit.meters;
        serdes = kit.serdes;
        pipeline = kit.pipeline;
        driver = kit.driver;
        queries = pipeline.queries(kit.stores());
        MessengerTopics topics = pipeline.messengerTopics();
        messages = input(topics.messages());
        groupCommands = input(topics.groupCommands());
        receipts = input(topics.receipts());
        presence = input(topics.presence());
        typing = input(topics.typing());
        rawMessages = driver.createInputTopic(MessengerTopics.MESSAGES, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        deliveries = output(topics.deliveries());
        notifications = output(topics.notifications());
        userEvents = output(topics.userEvents());
    }

    long now() {
        return now;
    }

    /** Moves both the event clock and the driver's wall clock, which fires the punctuators. */
    void advance(Duration duration) {
        now += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    /**
     * Moves the event clock by {@code duration} and lets the pipeline see a record of that time, an unrelated group
     * being created: stream time, which ends the wait of held messages, moves only with records.
     */
    void laterTraffic(Duration duration) {
        now += duration.toMillis();
        createGroup("elsewhere-" + now, "zoe");
    }

    void createGroup(String groupId, String owner, String... members) {
        groupCommand(groupId, owner, new CreateGroup(Arrays.asList(members)));
    }

    void addMember(String groupId, String actor, String member) {
        groupCommand(groupId, actor, new AddMember(member));
    }

    void removeMember(String groupId, String actor, String member) {
        groupCommand(groupId, actor, new RemoveMember(member));
    }

    void renameGroup(String groupId, String actor, String name) {
        groupCommand(groupId, actor, new RenameGroup(name));
    }

    void groupCommand(String groupId, String actor, Object command) {
        groupCommand(groupId, actor, command, now);
    }

    /** A group command stamped {@code time}, which may be earlier than what the pipeline has already read. */
    void groupCommand(String groupId, String actor, Object command, long time) {
        groupCommands.pipeInput(groupId, new GroupCommand(groupId, actor, command, time), time);
    }

    static SendMessage text(String messageId, String sender, ConversationType type, String to, String body) {
        return SendMessage.newBuilder().setMessageId(messageId).setSender(sender).setConversationType(type).setTo(to)
                .setBody(body).setTimestamp(START.toEpochMilli()).build();
    }

    static SendMessage encrypted(String messageId, String sender, String to, byte[] ciphertext, byte[] nonce) {
        return SendMessage.newBuilder().setMessageId(messageId).setSender(sender).setConversationType(ConversationType.DIRECT)
                .setTo(to).setCiphertext(ByteBuffer.wrap(ciphertext)).setNonce(ByteBuffer.wrap(nonce))
                .setTimestamp(START.toEpochMilli()).build();
    }

    void send(SendMessage message) {
        message.setTimestamp(now);
        messages.pipeInput(MessengerTopics.messageKey(message), message, now);
        now += 10;
    }

    void sendToGroup(String messageId, String sender, String groupId, String body) {
        send(text(messageId, sender, ConversationType.GROUP, groupId, body));
    }

    void sendDirect(String messageId, String sender, String to, String body) {
        send(text(messageId, sender, ConversationType.DIRECT, to, body));
    }

    void read(String user, String conversation, long upToSequence) {
        receipt(user, conversation, upToSequence, ReceiptStatus.READ);
    }

    void receipt(String user, String conversation, long upToSequence, ReceiptStatus status) {
        receipts.pipeInput(user, new ReadReceipt(user, conversation, upToSequence, status, now), now);
    }

    void heartbeat(String user) {
        presence.pipeInput(user, new Presence(user, PresenceStatus.ONLINE, now), now);
    }

    void idle(String user) {
        presence.pipeInput(user, new Presence(user, PresenceStatus.AWAY, now), now);
    }

    void signOff(String user) {
        presence.pipeInput(user, new Presence(user, PresenceStatus.OFFLINE, now), now);
    }

    void startTyping(String user, String conversation) {
        typing.pipeInput(user, new Typing(user, conversation, true, now), now);
    }

    void stopTyping(String user, String conversation) {
        typing.pipeInput(user, new Typing(user, conversation, false, now), now);
    }

    /** The user's own messages matching {@code text}. */
    List<MessengerQueries.MessageView> search(String user, String text) {
        return search(user, Optional.of(text), Optional.empty(), Optional.empty());
    }

    List<MessengerQueries.MessageView> search(String user, Optional<String> text, Optional<String> from, Optional<String> with) {
        return queries.search(user, new MessengerQueries.MessageSearch(text, from, with), 50);
    }

    /** What reached messenger.user-events since the last call. */
    List<UserEvent> userEvents() {
        return userEvents.readValuesToList();
    }

    List<Delivery> deliveries() {
        return deliveries.readValuesToList();
    }

    List<Rejected> rejections() {
        return kit.rejections();
    }

    /** Reads what reached messenger.dlq since the last call. */
    List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> deadLetters() {
        return kit.deadLetters();
    }

    private <V> TestInputTopic<String, V> input(io.millrace.topology.Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(io.millrace.topology.Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        kit.close();
    }
}

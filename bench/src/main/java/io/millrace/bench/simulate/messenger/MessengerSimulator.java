package io.millrace.bench.simulate.messenger;

import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.ChangeOwner;
import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.RemoveMember;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.schemas.messenger.Typing;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.messenger.ConversationIds;
import io.millrace.topology.messenger.MessengerTopics;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Messenger traffic: 100,000 users whose activity follows a Zipf law, each writing mostly to a few
 * contacts; 5,000 groups of 2 to 150 members (most small, a few large), created on first use; messages
 * (70 % direct, 10 % end-to-end ciphertext), receipts, heartbeats and typing in realistic proportion,
 * and about 0.1 % bad records (undecodable bytes, oversized bodies, outsiders, malformed ids).
 */
public final class MessengerSimulator implements Simulator {

    private static final int USERS = 100_000;
    private static final int GROUPS = 5_000;
    private static final int CONTACTS = 24;
    private static final int READABLE_MESSAGES = 8_192;
    // Receipts refer to messages sent at least this long ago, so that the pipeline has usually sequenced them:
    // a real client acknowledges only what it has received.
    private static final long RECEIPT_DELAY_MS = 5_000;
    private static final String[] WORDS = ("ok yes no thanks see you later tonight tomorrow morning lunch dinner coffee call me "
            + "when are we meeting running late on my way home work train bus traffic love it haha sure maybe weekend "
            + "movie game match score photo video link check this out happy birthday congrats sorry miss you good night "
            + "meeting moved to three pm the report is ready can you review please send the file where did you park "
            + "lighthouse beach hiking trip tickets booked flight hotel pizza sushi groceries milk bread eggs").split(" ");

    private final MessengerTopics topics;
    private final ZipfSampler userActivity = new ZipfSampler(USERS, 1.05);
    private final ZipfSampler wordChoice = new ZipfSampler(WORDS.length, 1.0);
    private final List<List<String>> groupMembers = new ArrayList<>(GROUPS);
    private final String[] groupOwners = new String[GROUPS];
    private final Map<String, Long> sentPerConversation = new HashMap<>();
    private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
    private final Sent[] readable = new Sent[READABLE_MESSAGES];
    private long readableCount;
    private long events;
    private String runTag;

    /** A message the simulator sent, remembered so that its readers can acknowledge it later. */
    private record Sent(String conversation, String reader, long sequence, long sentAt) {
    }

    public MessengerSimulator(PipelineContext context) {
        this.topics = new MessengerTopics(context.serdes());
        for (int i = 0; i < GROUPS; i++) {
            groupMembers.add(null);
        }
    }

    @Override
    public String pipeline() {
        return "messenger";
    }

    @Override
    public String outputTopic() {
        return MessengerTopics.DELIVERIES;
    }

    @Override
    public SimulatedEvent next(SplittableRandom random, long nowMillis) {
        if (runTag == null) {
            // Group ids are new each run, so that membership changed by an earlier run cannot contradict this one.
            runTag = Long.toString(nowMillis / 1000, 36);
        }
        events++;
        if (random.nextInt(1000) == 0) {
            return badRecord(random, nowMillis);
        }
        int roll = random.nextInt(100);
        if (roll < 50) {
            return message(random, nowMillis);
        }
        if (roll < 72) {
            SimulatedEvent receipt = receipt(random, nowMillis);
            return receipt != null ? receipt : message(random, nowMillis);
        }
        if (roll < 90) {
            return presence(random, nowMillis);
        }
        if (roll < 99) {
            return typing(random, nowMillis);
        }
        return groupChange(random, nowMillis);
    }

    private SimulatedEvent message(SplittableRandom random, long now) {
        String sender = user(random);
        if (random.nextInt(100) < 70) {
            String peer = contactOf(sender, random);
            return send(random, now, sender, ConversationType.DIRECT, peer, ConversationIds.direct(sender, peer), peer);
        }
        int group = random.nextInt(GROUPS);
        if (groupMembers.get(group) == null) {
            return createGroup(random, now, group);
        }
        List<String> members = groupMembers.get(group);
        String member = members.get(random.nextInt(members.size()));
        String reader = members.get(random.nextInt(members.size()));
        return send(random, now, member, ConversationType.GROUP, groupId(group), groupId(group), reader);
    }

    private SimulatedEvent send(SplittableRandom random, long now, String sender, ConversationType type, String to,
                                String conversation, String reader) {
        long sequence = sentPerConversation.merge(conversation, 1L, Long::sum);
        if (!reader.equals(sender)) {
            inFlight.addLast(new Sent(conversation, reader, sequence, now));
        }
        SendMessage.Builder message = SendMessage.newBuilder().setMessageId(runTag + "-" + events).setSender(sender)
                .setConversationType(type).setTo(to).setTimestamp(now);
        int kind = random.nextInt(100);
        if (kind < 10) {
            byte[] ciphertext = new byte[60 + random.nextInt(60)];
            byte[] nonce = new byte[12];
            random.nextBytes(ciphertext);
            random.nextBytes(nonce);
            message.setCiphertext(ByteBuffer.wrap(ciphertext)).setNonce(ByteBuffer.wrap(nonce));
        } else if (kind < 13) {
            message.setMediaUrl("https://media.millrace.example/" + runTag + "/" + events + ".jpg");
        } else {
            message.setBody(sentence(random));
        }
        return keyedByConversation(message.build());
    }

    private SimulatedEvent createGroup(SplittableRandom random, long now, int group) {
        int size = groupSize(random);
        String owner = user(random);
        List<String> members = new ArrayList<>(size);
        members.add(owner);
        while (members.size() < size) {
            String member = random.nextInt(2) == 0 ? user(random) : "u" + random.nextInt(USERS);
            if (!members.contains(member)) {
                members.add(member);
            }
        }
        groupMembers.set(group, members);
        groupOwners[group] = owner;
        String groupId = groupId(group);
        return SimulatedEvent.of(topics.groupCommands(), groupId,
                new GroupCommand(groupId, owner, new CreateGroup(new ArrayList<>(members.subList(1, members.size()))), now));
    }

    private SimulatedEvent receipt(SplittableRandom random, long now) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().sentAt() <= now - RECEIPT_DELAY_MS) {
            readable[(int) (readableCount++ % READABLE_MESSAGES)] = inFlight.removeFirst();
        }
        if (readableCount == 0) {
            return null;
        }
        Sent sent = readable[random.nextInt((int) Math.min(readableCount, READABLE_MESSAGES))];
        ReceiptStatus status = random.nextInt(10) < 4 ? ReceiptStatus.DELIVERED : ReceiptStatus.READ;
        return SimulatedEvent.of(topics.receipts(), sent.reader(), new ReadReceipt(sent.reader(), sent.conversation(), sent.sequence(), status, now));
    }

    private SimulatedEvent presence(SplittableRandom random, long now) {
        String user = user(random);
        PresenceStatus status = random.nextInt(100) < 95 ? PresenceStatus.ONLINE : PresenceStatus.OFFLINE;
        return SimulatedEvent.of(topics.presence(), user, new Presence(user, status, now));
    }

    private SimulatedEvent typing(SplittableRandom random, long now) {
        String user = user(random);
        String conversation = ConversationIds.direct(user, contactOf(user, random));
        return SimulatedEvent.of(topics.typing(), user, new Typing(user, conversation, random.nextInt(10) < 8, now));
    }

    private SimulatedEvent groupChange(SplittableRandom random, long now) {
        int group = random.nextInt(GROUPS);
        List<String> members = groupMembers.get(group);
        if (members == null) {
            return createGroup(random, now, group);
        }
        String groupId = groupId(group);
        String owner = groupOwners[group];
        int roll = random.nextInt(10);
        if (roll < 5 && members.size() < 150) {
            String newcomer = user(random);
            if (!members.contains(newcomer)) {
                members.add(newcomer);
                return SimulatedEvent.of(topics.groupCommands(), groupId, new GroupCommand(groupId, owner, new AddMember(newcomer), now));
            }
        }
        if (roll < 9 && members.size() > 2) {
            String leaving = members.get(random.nextInt(members.size()));
            if (leaving.equals(owner)) {
                leaving = members.get((members.indexOf(owner) + 1) % members.size());
            }
            members.remove(leaving);
            String actor = random.nextInt(2) == 0 ? owner : leaving;
            return SimulatedEvent.of(topics.groupCommands(), groupId, new GroupCommand(groupId, actor, new RemoveMember(leaving), now));
        }
        String heir = members.get(random.nextInt(members.size()));
        groupOwners[group] = heir;
        return SimulatedEvent.of(topics.groupCommands(), groupId, new GroupCommand(groupId, owner, new ChangeOwner(heir), now));
    }

    private SimulatedEvent badRecord(SplittableRandom random, long now) {
        String sender = user(random);
        SendMessage.Builder message = SendMessage.newBuilder().setMessageId(runTag + "-bad-" + events).setSender(sender)
                .setConversationType(ConversationType.DIRECT).setTo(contactOf(sender, random)).setTimestamp(now);
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                return SimulatedEvent.garbage(MessengerTopics.MESSAGES, sender);
            }
            case 2 -> message.setBody("spam ".repeat(14_000));
            case 3 -> message.setConversationType(ConversationType.GROUP).setTo(groupId(random.nextInt(GROUPS)))
                    .setSender("outsider-" + random.nextInt(1000)).setBody("let me in");
            default -> message.setMessageId("not a valid id!").setBody("hello");
        }
        return keyedByConversation(message.build());
    }

    private SimulatedEvent keyedByConversation(SendMessage message) {
        return SimulatedEvent.of(topics.messages(), MessengerTopics.messageKey(message), message);
    }

    private String user(SplittableRandom random) {
        return "u" + userActivity.sample(random);
    }

    /** Each user writes mostly to a fixed handful of contacts, the first ones most. */
    private String contactOf(String user, SplittableRandom random) {
        int index = Integer.parseInt(user.substring(1));
        int nth = Math.min(random.nextInt(CONTACTS), random.nextInt(CONTACTS));
        return "u" + Math.floorMod(index + 1 + nth * 7_919, USERS);
    }

    private static int groupSize(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 90) {
            return 2 + random.nextInt(11);
        }
        if (roll < 98) {
            return 13 + random.nextInt(38);
        }
        return 51 + random.nextInt(100);
    }

    private String sentence(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int words = 8 + random.nextInt(8);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[wordChoice.sample(random)]);
        }
        return text.toString();
    }

    private String groupId(int group) {
        return "g-" + runTag + "-" + group;
    }
}

package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.DeliveryRole;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupMember;
import io.millrace.schemas.messenger.StoredMessage;
import io.millrace.topology.runtime.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Who is in a conversation: the members of a group, or the two users of a direct conversation. */
public final class Audience {

    public static final String UNKNOWN_GROUP = "UNKNOWN_GROUP";
    public static final String SENDER_NOT_MEMBER = "SENDER_NOT_MEMBER";

    private Audience() {
    }

    /** One copy of a message for one user; the sender's own copy is SENT. */
    public record Recipient(String user, DeliveryRole role) {
    }

    /**
     * Everyone a message goes to, sender included, once each; refused when the group is unknown
     * ({@code group} is null) or the sender is not one of its members.
     */
    public static Outcome<List<Recipient>> of(StoredMessage message, Group group) {
        String sender = message.getSender();
        if (message.getConversationType() == ConversationType.DIRECT) {
            List<Recipient> both = new ArrayList<>(2);
            for (String user : ConversationIds.participants(message.getConversation())) {
                both.add(new Recipient(user, user.equals(sender) ? DeliveryRole.SENT : DeliveryRole.RECEIVED));
            }
            return Outcome.accept(both);
        }
        if (group == null) {
            return Outcome.refuse(UNKNOWN_GROUP, "group " + message.getConversation() + " does not exist");
        }
        if (!GroupRoster.isMember(group, sender)) {
            return Outcome.refuse(SENDER_NOT_MEMBER, sender + " is not a member of group " + group.getGroupId());
        }
        List<Recipient> members = new ArrayList<>(group.getMembers().size());
        for (GroupMember member : group.getMembers()) {
            members.add(new Recipient(member.getUser(), member.getUser().equals(sender) ? DeliveryRole.SENT : DeliveryRole.RECEIVED));
        }
        return Outcome.accept(members);
    }

    /** Whether {@code user} belongs to {@code conversation}; {@code group} is the group for a group conversation. */
    public static boolean includes(String conversation, String user, Group group) {
        if (ConversationIds.isDirect(conversation)) {
            return ConversationIds.participants(conversation).contains(user);
        }
        return group != null && GroupRoster.isMember(group, user);
    }

    /** The users a message at {@code sequence} was addressed to, other than its sender: a member counts from when they joined. */
    public static List<String> addressees(String conversation, String sender, long sequence, Group group) {
        List<String> users = new ArrayList<>();
        if (ConversationIds.isDirect(conversation)) {
            for (String user : ConversationIds.participants(conversation)) {
                if (!user.equals(sender)) {
                    users.add(user);
                }
            }
            return users;
        }
        if (group != null) {
            for (GroupMember member : group.getMembers()) {
                if (!member.getUser().equals(sender) && member.getSinceSequence() <= sequence) {
                    users.add(member.getUser());
                }
            }
        }
        return users;
    }
}

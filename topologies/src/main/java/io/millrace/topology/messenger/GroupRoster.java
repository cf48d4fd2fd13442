package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.ChangeOwner;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.GroupMember;
import io.millrace.schemas.messenger.RemoveMember;
import io.millrace.topology.runtime.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Group membership rules: the owner creates the group and adds, removes and hands over; a member may
 * leave; the owner hands over before leaving; never more than 150 members. A member added now receives
 * messages from the conversation's next sequence on.
 */
public final class GroupRoster {

    public static final int MAX_MEMBERS = 150;

    private GroupRoster() {
    }

    /** The group after {@code command}, given the group as it is ({@code null} if unknown) and the next message sequence. */
    public static Outcome<Group> apply(Group current, GroupCommand command, long nextSequence) {
        if (!ConversationIds.isValidId(command.getGroupId()) || !ConversationIds.isValidId(command.getActor())) {
            return Outcome.refuse("MALFORMED_ID", "groupId and actor must be 1-64 letters, digits, '_', '.' or '-'");
        }
        long now = command.getTimestamp();
        Object change = command.getCommand();
        if (change instanceof CreateGroup create) {
            return create(current, command, create, nextSequence, now);
        }
        if (current == null) {
            return Outcome.refuse("UNKNOWN_GROUP", "group " + command.getGroupId() + " does not exist");
        }
        if (change instanceof AddMember add) {
            return add(current, command.getActor(), add.getMember(), nextSequence, now);
        }
        if (change instanceof RemoveMember remove) {
            return remove(current, command.getActor(), remove.getMember(), now);
        }
        if (change instanceof ChangeOwner handOver) {
            return changeOwner(current, command.getActor(), handOver.getNewOwner(), now);
        }
        return Outcome.refuse("UNKNOWN_COMMAND", "not a group command this version understands");
    }

    public static boolean isMember(Group group, String user) {
        for (GroupMember member : group.getMembers()) {
            if (member.getUser().equals(user)) {
                return true;
            }
        }
        return false;
    }

    private static Outcome<Group> create(Group current, GroupCommand command, CreateGroup create, long nextSequence, long now) {
        if (current != null) {
            return Outcome.refuse("GROUP_EXISTS", "group " + command.getGroupId() + " already exists");
        }
        Set<String> users = new LinkedHashSet<>();
        users.add(command.getActor());
        for (String member : create.getMembers()) {
            if (!ConversationIds.isValidId(member)) {
                return Outcome.refuse("MALFORMED_ID", "member ids must be 1-64 letters, digits, '_', '.' or '-'");
            }
            users.add(member);
        }
        if (users.size() > MAX_MEMBERS) {
            return Outcome.refuse("GROUP_FULL", "a group has at most " + MAX_MEMBERS + " members; this one would have " + users.size());
        }
        List<GroupMember> members = new ArrayList<>(users.size());
        for (String user : users) {
            members.add(new GroupMember(user, nextSequence, now));
        }
        return Outcome.accept(new Group(command.getGroupId(), command.getActor(), members, now, now));
    }

    private static Outcome<Group> add(Group group, String actor, String member, long nextSequence, long now) {
        if (!ConversationIds.isValidId(member)) {
            return Outcome.refuse("MALFORMED_ID", "member ids must be 1-64 letters, digits, '_', '.' or '-'");
        }
        if (!group.getOwner().equals(actor)) {
            return Outcome.refuse("NOT_OWNER", "only the owner adds members to " + group.getGroupId());
        }
        if (isMember(group, member)) {
            return Outcome.refuse("ALREADY_MEMBER", member + " is already a member of " + group.getGroupId());
        }
        if (group.getMembers().size() >= MAX_MEMBERS) {
            return Outcome.refuse("GROUP_FULL", "a group has at most " + MAX_MEMBERS + " members; "
                    + group.getGroupId() + " is full");
        }
        List<GroupMember> members = new ArrayList<>(group.getMembers());
        members.add(new GroupMember(member, nextSequence, now));
        return Outcome.accept(changed(group, group.getOwner(), members, now));
    }

    private static Outcome<Group> remove(Group group, String actor, String member, long now) {
        if (!isMember(group, member)) {
            return Outcome.refuse("NOT_A_MEMBER", member + " is not a member of " + group.getGroupId());
        }
        if (!group.getOwner().equals(actor) && !actor.equals(member)) {
            return Outcome.refuse("NOT_OWNER", "only the owner removes other members from " + group.getGroupId());
        }
        if (group.getOwner().equals(member)) {
            return Outcome.refuse("OWNER_MUST_HAND_OVER", "the owner names a new owner before leaving " + group.getGroupId());
        }
        List<GroupMember> members = new ArrayList<>(group.getMembers());
        members.removeIf(m -> m.getUser().equals(member));
        return Outcome.accept(changed(group, group.getOwner(), members, now));
    }

    private static Outcome<Group> changeOwner(Group group, String actor, String newOwner, long now) {
        if (!group.getOwner().equals(actor)) {
            return Outcome.refuse("NOT_OWNER", "only the owner hands " + group.getGroupId() + " over");
        }
        if (!isMember(group, newOwner)) {
            return Outcome.refuse("NOT_A_MEMBER", "the new owner must be a member of " + group.getGroupId());
        }
        return Outcome.accept(changed(group, newOwner, group.getMembers(), now));
    }

    private static Group changed(Group group, String owner, List<GroupMember> members, long now) {
        return new Group(group.getGroupId(), owner, members, group.getCreatedAt(), now);
    }
}

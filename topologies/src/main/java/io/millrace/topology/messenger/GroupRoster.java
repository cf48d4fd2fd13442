package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.ChangeOwner;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.GroupMember;
import io.millrace.schemas.messenger.RemoveMember;
import io.millrace.schemas.messenger.RenameGroup;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Violation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Group membership rules: the owner creates the group and adds, removes, renames and hands over; a member
 * may leave; the owner hands over before leaving; never more than 150 members. A member added now receives
 * messages from the conversation's next sequence on.
 */
public final class GroupRoster {

    public static final int MAX_MEMBERS = 150;

    private GroupRoster() {
    }

    /**
     * What can be said of {@code command} without the group: well-formed ids and name, at most 150 members at
     * creation. The HTTP API refuses what fails here before publishing; {@link #apply} starts with it.
     */
    public static Optional<Violation> check(GroupCommand command) {
        if (!ConversationIds.isValidId(command.getGroupId()) || !ConversationIds.isValidId(command.getActor())) {
            return Violation.of("MALFORMED_ID", "groupId and actor must be 1-64 letters, digits, '_', '.' or '-'");
        }
        Object change = command.getCommand();
        List<String> named = change instanceof CreateGroup create ? create.getMembers()
                : change instanceof AddMember add ? Collections.singletonList(add.getMember())
                : change instanceof RemoveMember remove ? Collections.singletonList(remove.getMember())
                : change instanceof ChangeOwner handOver ? Collections.singletonList(handOver.getNewOwner()) : List.of();
        if (!named.stream().allMatch(ConversationIds::isValidId)) {
            return Violation.of("MALFORMED_ID", "member ids must be 1-64 letters, digits, '_', '.' or '-'");
        }
        if (change instanceof CreateGroup create) {
            Set<String> users = new LinkedHashSet<>(create.getMembers());
            users.add(command.getActor());
            if (users.size() > MAX_MEMBERS) {
                return Violation.of("GROUP_FULL", "a group has at most " + MAX_MEMBERS + " members; this one would have " + users.size());
            }
        }
        if (change instanceof RenameGroup rename) {
            return Identifiers.label("name", rename.getName());
        }
        return Optional.empty();
    }

    /** The group after {@code command}, given the group as it is ({@code null} if unknown) and the next message sequence. */
    public static Outcome<Group> apply(Group current, GroupCommand command, long nextSequence) {
        Optional<Violation> malformed = check(command);
        if (malformed.isPresent()) {
            return Outcome.refuse(malformed.get());
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
        if (change instanceof RenameGroup rename) {
            return rename(current, command.getActor(), rename.getName(), now);
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
        users.addAll(create.getMembers());
        List<GroupMember> members = new ArrayList<>(users.size());
        for (String user : users) {
            members.add(new GroupMember(user, nextSequence, now));
        }
        return Outcome.accept(new Group(command.getGroupId(), command.getActor(), members, now, now, null));
    }

    private static Outcome<Group> add(Group group, String actor, String member, long nextSequence, long now) {
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

    private static Outcome<Group> rename(Group group, String actor, String name, long now) {
        if (!group.getOwner().equals(actor)) {
            return Outcome.refuse("NOT_OWNER", "only the owner renames " + group.getGroupId());
        }
        Group renamed = changed(group, group.getOwner(), group.getMembers(), now);
        renamed.setName(name);
        return Outcome.accept(renamed);
    }

    private static Group changed(Group group, String owner, List<GroupMember> members, long now) {
        return new Group(group.getGroupId(), owner, members, group.getCreatedAt(), now, group.getName());
    }
}

package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.ChangeOwner;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.GroupMember;
import io.millrace.schemas.messenger.RemoveMember;
import io.millrace.schemas.messenger.RenameGroup;
import io.millrace.topology.runtime.Outcome;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who may change a group, and the 150-member ceiling. */
class GroupRosterTest {

    private static final long T = 1_741_942_800_000L;

    @Test
    void creatorOwnsTheGroupAndDuplicatesAreCountedOnce() {
        Outcome<Group> created = GroupRoster.apply(null, command("ana", new CreateGroup(List.of("ben", "ben", "ana", "chloe"))), 1);

        assertThat(created.accepted().getOwner()).isEqualTo("ana");
        assertThat(created.accepted().getMembers()).extracting(GroupMember::getUser).containsExactly("ana", "ben", "chloe");
    }

    @Test
    void creatingMoreThan150MembersIsRefused() {
        List<String> members = IntStream.rangeClosed(1, 150).mapToObj(i -> "u" + i).toList();

        Outcome<Group> created = GroupRoster.apply(null, command("owner", new CreateGroup(members)), 1);

        assertThat(created.violation().code()).isEqualTo("GROUP_FULL");
        assertThat(created.violation().reason()).contains("151");
    }

    @Test
    void onlyTheOwnerAddsAndTheNewMemberStartsAtTheNextSequence() {
        Group group = group("ana", "ana", "ben");

        assertThat(GroupRoster.apply(group, command("ben", new AddMember("chloe")), 8).violation().code()).isEqualTo("NOT_OWNER");
        Outcome<Group> added = GroupRoster.apply(group, command("ana", new AddMember("chloe")), 8);
        assertThat(added.accepted().getMembers()).extracting(GroupMember::getUser, GroupMember::getSinceSequence)
                .contains(org.assertj.core.groups.Tuple.tuple("chloe", 8L));
        assertThat(GroupRoster.apply(added.accepted(), command("ana", new AddMember("chloe")), 9).violation().code())
                .isEqualTo("ALREADY_MEMBER");
    }

    @Test
    void memberMayLeaveButTheOwnerHandsOverFirst() {
        Group group = group("ana", "ana", "ben", "chloe");

        assertThat(GroupRoster.apply(group, command("ben", new RemoveMember("ben")), 3).accepted().getMembers())
                .extracting(GroupMember::getUser).containsExactly("ana", "chloe");
        assertThat(GroupRoster.apply(group, command("ben", new RemoveMember("chloe")), 3).violation().code()).isEqualTo("NOT_OWNER");
        assertThat(GroupRoster.apply(group, command("ana", new RemoveMember("ana")), 3).violation().code())
                .isEqualTo("OWNER_MUST_HAND_OVER");

        Group handedOver = GroupRoster.apply(group, command("ana", new ChangeOwner("chloe")), 3).accepted();
        assertThat(handedOver.getOwner()).isEqualTo("chloe");
        assertThat(GroupRoster.apply(handedOver, command("ana", new RemoveMember("ana")), 3).isRejected()).isFalse();
    }

    @Test
    void ownershipGoesOnlyToAMember() {
        Group group = group("ana", "ana", "ben");

        assertThat(GroupRoster.apply(group, command("ana", new ChangeOwner("mallory")), 3).violation().code()).isEqualTo("NOT_A_MEMBER");
    }

    @Test
    void commandsOnAnUnknownGroupOrWithMalformedIdsAreRefused() {
        assertThat(GroupRoster.apply(null, command("ana", new AddMember("ben")), 1).violation().code()).isEqualTo("UNKNOWN_GROUP");
        assertThat(GroupRoster.apply(null, new GroupCommand("bad group", "ana", new CreateGroup(List.of()), T), 1).violation().code())
                .isEqualTo("MALFORMED_ID");
        assertThat(GroupRoster.apply(null, command("ana", new CreateGroup(List.of("ben|x"))), 1).violation().code())
                .isEqualTo("MALFORMED_ID");
    }

    @Test
    void onlyTheOwnerNamesTheGroupAndANameIsALabel() {
        Group group = group("ana", "ana", "ben");

        assertThat(GroupRoster.apply(group, command("ana", new RenameGroup("Flat 42 · chores")), 3).accepted().getName())
                .isEqualTo("Flat 42 · chores");
        assertThat(GroupRoster.apply(group, command("ben", new RenameGroup("mine now")), 3).violation().code()).isEqualTo("NOT_OWNER");
        assertThat(GroupRoster.apply(group, command("ana", new RenameGroup("a|b")), 3).violation().code()).isEqualTo("INVALID_NAME");
        Group renamed = GroupRoster.apply(group, command("ana", new RenameGroup("Flat 42")), 3).accepted();
        assertThat(GroupRoster.apply(renamed, command("ana", new AddMember("chloe")), 3).accepted().getName())
                .as("a name outlives later changes").isEqualTo("Flat 42");
    }

    @Test
    void whatNeedsNoGroupIsCheckedWithoutOne() {
        List<String> members = IntStream.rangeClosed(1, 150).mapToObj(i -> "u" + i).toList();

        assertThat(GroupRoster.check(command("ana", new CreateGroup(members))).orElseThrow().code()).isEqualTo("GROUP_FULL");
        assertThat(GroupRoster.check(command("ana", new AddMember("bad id")))).get().extracting(v -> v.code()).isEqualTo("MALFORMED_ID");
        assertThat(GroupRoster.check(command("ana", new ChangeOwner(null)))).get().extracting(v -> v.code()).isEqualTo("MALFORMED_ID");
        assertThat(GroupRoster.check(command("ana", new RemoveMember("ben")))).isEmpty();
    }

    private static GroupCommand command(String actor, Object change) {
        return new GroupCommand("g-1", actor, change, T);
    }

    private static Group group(String owner, String... members) {
        return GroupRoster.apply(null, command(owner, new CreateGroup(List.of(members))), 1).accepted();
    }
}

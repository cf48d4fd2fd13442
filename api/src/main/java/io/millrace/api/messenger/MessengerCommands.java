package io.millrace.api.messenger;

import io.javalin.http.Context;
import io.millrace.api.ApiException;
import io.millrace.api.EventPublisher;
import io.millrace.api.EventPublisher.Coordinates;
import io.millrace.api.JsonBody;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Ownership;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.messenger.AddMember;
import io.millrace.schemas.messenger.ChangeOwner;
import io.millrace.schemas.messenger.CreateGroup;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.schemas.messenger.Presence;
import io.millrace.schemas.messenger.PresenceStatus;
import io.millrace.schemas.messenger.ReadReceipt;
import io.millrace.schemas.messenger.ReceiptStatus;
import io.millrace.schemas.messenger.RemoveMember;
import io.millrace.schemas.messenger.RenameGroup;
import io.millrace.schemas.messenger.Typing;
import io.millrace.topology.Topic;
import io.millrace.topology.messenger.EventRules;
import io.millrace.topology.messenger.GroupRoster;
import io.millrace.topology.messenger.MessengerTopics;
import io.millrace.topology.runtime.Violation;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What a web client sends besides messages: group changes, receipts, presence heartbeats and typing. Each acts as the
 * caller (a body naming someone else is a 403), is checked with the pipeline's own rules (a 400 with the reason the
 * rejected topic would give), and is written to its input topic: 202 with where it landed. Whether the caller may change
 * a group (the owner adds, a member leaves) is the pipeline's decision, made against the group as it is then.
 */
public final class MessengerCommands {

    private static final String TAG = "messenger";

    /** POST /api/messenger/groups: the caller creates the group and owns it; {@code owner}, if given, must be the caller. */
    public record CreateGroupRequest(Optional<String> groupId, Optional<String> name, Optional<List<String>> members,
                                     Optional<String> owner) {
    }

    /** POST /api/messenger/groups/{groupId}/members: the caller (the owner) adds {@code user}. */
    public record AddMemberRequest(String user, Optional<String> actor) {
    }

    /** PUT /api/messenger/groups/{groupId}/owner: the caller (the owner) hands the group to {@code owner}, a member. */
    public record ChangeOwnerRequest(String owner, Optional<String> actor) {
    }

    /** POST /api/messenger/receipts: the caller has received (DELIVERED) or read (READ) a conversation up to a sequence. */
    public record ReceiptRequest(String conversation, Long upTo, ReceiptStatus status, Optional<String> user) {
    }

    /** POST /api/messenger/presence: a heartbeat, ONLINE (the default) or AWAY (idle), or a sign-off (OFFLINE). */
    public record PresenceRequest(Optional<PresenceStatus> status, Optional<String> user) {
    }

    /** POST /api/messenger/typing: the caller started (true) or stopped (false) typing in a conversation. */
    public record TypingRequest(String conversation, Boolean typing, Optional<String> user) {
    }

    /** The 202 answer to a group change: the group (its id generated when not given) and where the command landed. */
    public record GroupAccepted(String groupId, String topic, int partition, long offset) {
    }

    private final EventPublisher publisher;
    private final MessengerTopics topics;

    MessengerCommands(EventPublisher publisher, MessengerTopics topics) {
        this.publisher = publisher;
        this.topics = topics;
    }

    void register(ApiRoutes routes) {
        routes.post("/api/messenger/groups", Doc.of("Create a group owned by the caller, with a name and members; its id is "
                        + "generated when not given").tag(TAG).access(Access.ownData("groups: the owner is the caller"))
                        .accepts(CreateGroupRequest.class).returns(GroupAccepted.class).status(202).errors(503), this::createGroup);
        routes.post("/api/messenger/groups/{groupId}/members", Doc.of("Add a member to a group; the pipeline accepts it from the "
                        + "owner only").tag(TAG).access(Access.ownData("groups: the actor is the caller")).path("groupId", "a group id", "trip-1")
                        .accepts(AddMemberRequest.class).returns(GroupAccepted.class).status(202).errors(503), this::addMember);
        routes.delete("/api/messenger/groups/{groupId}/members/{user}", Doc.of("Remove a member from a group, or leave it; the "
                        + "pipeline accepts it from the owner, or from the member themselves").tag(TAG)
                        .access(Access.ownData("groups: the actor is the caller")).path("groupId", "a group id", "trip-1")
                        .path("user", "the member who goes", "ben").returns(GroupAccepted.class).status(202).errors(503), this::removeMember);
        routes.put("/api/messenger/groups/{groupId}/owner", Doc.of("Hand a group over to another member; the pipeline accepts it "
                        + "from the owner only").tag(TAG).access(Access.ownData("groups: the actor is the caller"))
                        .path("groupId", "a group id", "trip-1").accepts(ChangeOwnerRequest.class).returns(GroupAccepted.class)
                        .status(202).errors(503), this::changeOwner);
        routes.post("/api/messenger/receipts", Doc.of("Mark a conversation received or read by the caller up to a sequence")
                        .tag(TAG).access(Access.ownData("receipts: the reader is the caller")).accepts(ReceiptRequest.class)
                        .returns(Coordinates.class).status(202).errors(503), this::receipt);
        routes.post("/api/messenger/presence", Doc.of("A heartbeat of the caller's client (ONLINE or AWAY, every <60 s), or a "
                        + "sign-off (OFFLINE)").tag(TAG).access(Access.ownData("presence: the user is the caller"))
                        .accepts(PresenceRequest.class).returns(Coordinates.class).status(202).errors(503), this::presence);
        routes.post("/api/messenger/typing", Doc.of("The caller started or stopped typing in a conversation; a start lasts 5 s "
                        + "unless renewed").tag(TAG).access(Access.ownData("typing: the user is the caller"))
                        .accepts(TypingRequest.class).returns(Coordinates.class).status(202).errors(503), this::typing);
    }

    private void createGroup(Context ctx) {
        CreateGroupRequest request = JsonBody.read(ctx, CreateGroupRequest.class);
        String owner = Ownership.actingUser(ctx, request.owner().orElse(null), "owner");
        String groupId = request.groupId().orElseGet(() -> UUID.randomUUID().toString());
        long now = System.currentTimeMillis();
        GroupCommand create = new GroupCommand(groupId, owner, new CreateGroup(request.members().orElse(List.of())), now);
        refuse(GroupRoster.check(create));
        Optional<GroupCommand> rename = request.name().map(name -> new GroupCommand(groupId, owner, new RenameGroup(name), now));
        rename.ifPresent(command -> refuse(GroupRoster.check(command)));
        // The name follows the creation on the group's partition; a retry with the same groupId sets it if this one did not.
        CompletableFuture<Coordinates> created = publisher.publish(topics.groupCommands(), groupId, create);
        answer(ctx, rename.isEmpty() ? created : created.thenCompose(landed -> publisher.publish(topics.groupCommands(), groupId,
                rename.get()).thenApply(named -> landed)), landed -> accepted(groupId, landed));
    }

    private void addMember(Context ctx) {
        String groupId = MessengerApi.id(ctx, "groupId");
        AddMemberRequest request = JsonBody.read(ctx, AddMemberRequest.class);
        change(ctx, groupId, Ownership.actingUser(ctx, request.actor().orElse(null), "actor"), new AddMember(request.user()));
    }

    private void removeMember(Context ctx) {
        String groupId = MessengerApi.id(ctx, "groupId");
        String member = MessengerApi.id(ctx, "user");
        change(ctx, groupId, Ownership.actingUser(ctx, null, "actor"), new RemoveMember(member));
    }

    private void changeOwner(Context ctx) {
        String groupId = MessengerApi.id(ctx, "groupId");
        ChangeOwnerRequest request = JsonBody.read(ctx, ChangeOwnerRequest.class);
        change(ctx, groupId, Ownership.actingUser(ctx, request.actor().orElse(null), "actor"), new ChangeOwner(request.owner()));
    }

    private void change(Context ctx, String groupId, String actor, Object command) {
        GroupCommand change = new GroupCommand(groupId, actor, command, System.currentTimeMillis());
        refuse(GroupRoster.check(change));
        answer(ctx, publisher.publish(topics.groupCommands(), groupId, change), landed -> accepted(groupId, landed));
    }

    private void receipt(Context ctx) {
        ReceiptRequest request = JsonBody.read(ctx, ReceiptRequest.class);
        String user = Ownership.actingUser(ctx, request.user().orElse(null), "user");
        publish(ctx, topics.receipts(), user, receipt(user, request), Optional.empty());
    }

    /** The receipt {@code user} sends, checked by the pipeline's rules. */
    static ReadReceipt receipt(String user, ReceiptRequest request) {
        if (request.upTo() == null || request.status() == null) {
            throw ApiException.badRequest("fields 'upTo' (a sequence, from 1) and 'status' (READ or DELIVERED) are required");
        }
        ReadReceipt receipt = new ReadReceipt(user, request.conversation(), request.upTo(), request.status(), System.currentTimeMillis());
        refuse(EventRules.checkReceipt(user, receipt));
        return receipt;
    }

    private void presence(Context ctx) {
        PresenceRequest request = JsonBody.read(ctx, PresenceRequest.class);
        String user = Ownership.actingUser(ctx, request.user().orElse(null), "user");
        Presence presence = new Presence(user, request.status().orElse(PresenceStatus.ONLINE), System.currentTimeMillis());
        publish(ctx, topics.presence(), user, presence, EventRules.checkPresence(user, presence));
    }

    private void typing(Context ctx) {
        TypingRequest request = JsonBody.read(ctx, TypingRequest.class);
        String user = Ownership.actingUser(ctx, request.user().orElse(null), "user");
        publish(ctx, topics.typing(), user, typing(user, request), Optional.empty());
    }

    /** The typing change {@code user} sends, checked by the pipeline's rules. */
    static Typing typing(String user, TypingRequest request) {
        if (request.typing() == null) {
            throw ApiException.badRequest("field 'typing' (true or false) is required");
        }
        Typing typing = new Typing(user, request.conversation(), request.typing(), System.currentTimeMillis());
        refuse(EventRules.checkTyping(user, typing));
        return typing;
    }

    private <V> void publish(Context ctx, Topic<String, V> topic, String user, V event, Optional<Violation> violation) {
        refuse(violation);
        answer(ctx, publisher.publish(topic, user, event), landed -> landed);
    }

    private static GroupAccepted accepted(String groupId, Coordinates landed) {
        return new GroupAccepted(groupId, landed.topic(), landed.partition(), landed.offset());
    }

    /** 202 with {@code answer} once the event is in Kafka; 503 if it could not be written. */
    static void answer(Context ctx, CompletableFuture<Coordinates> landing, Function<Coordinates, Object> answer) {
        ctx.future(() -> landing.handle((landed, error) -> {
            if (error != null) {
                throw ApiException.unavailable("The event could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS);
            }
            ctx.status(202).json(answer.apply(landed));
            return null;
        }));
    }

    /** A 400 with the code and reason the pipeline's rejected topic would give. */
    static void refuse(Optional<Violation> violation) {
        violation.ifPresent(v -> {
            throw ApiException.badRequest(v.code() + ": " + v.reason());
        });
    }
}

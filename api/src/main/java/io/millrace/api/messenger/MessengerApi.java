package io.millrace.api.messenger;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.millrace.api.ApiContext;
import io.millrace.api.ApiException;
import io.millrace.api.EventPublisher;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.PipelineApi;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Ownership;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.topology.messenger.ConversationIds;
import io.millrace.topology.messenger.MessageRules;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.messenger.MessengerQueries;
import io.millrace.topology.messenger.MessengerQueries.ConversationPage;
import io.millrace.topology.messenger.MessengerQueries.GroupView;
import io.millrace.topology.messenger.MessengerQueries.InboxItem;
import io.millrace.topology.messenger.MessengerQueries.MessageSearch;
import io.millrace.topology.messenger.MessengerQueries.MessageStatus;
import io.millrace.topology.messenger.MessengerQueries.MessageView;
import io.millrace.topology.messenger.MessengerQueries.PresenceView;
import io.millrace.topology.messenger.MessengerStores;
import io.millrace.topology.messenger.MessengerTopics;
import io.millrace.topology.messenger.SearchTerms;
import io.millrace.topology.runtime.RunningPipeline;
import io.millrace.topology.runtime.StoreReader;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The messenger's HTTP API: send a message, change groups, send receipts, presence and typing ({@link MessengerCommands});
 * read inboxes, conversations, message status, presence, groups and search.
 */
public final class MessengerApi implements PipelineApi<MessengerPipeline> {

    private static final String TAG = "messenger";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;
    private static final int MAX_QUERY_LENGTH = 200;

    /**
     * POST /api/messenger/messages: a plaintext body, or an end-to-end ciphertext with its nonce (base64), or a media URL.
     * The sender is the caller; a body that names another sender is refused.
     */
    public record SendMessageRequest(Optional<String> messageId, Optional<String> sender, ConversationType conversationType, String to,
                                     Optional<String> body, Optional<String> ciphertext, Optional<String> nonce,
                                     Optional<String> mediaUrl, Optional<Long> timestamp) {
    }

    /** The 202 answer: the message id (generated when not given), its conversation, and where the event landed. */
    public record Accepted(String messageId, String conversation, String topic, int partition, long offset) {
    }

    /** A part of the message-status fan-out: what this instance found (nothing, or the one status). */
    public record StatusPart(List<MessageStatus> found) {
    }

    @Override
    public void register(ApiRoutes routes, MessengerPipeline pipeline, RunningPipeline running, ApiContext context) {
        MessengerQueries queries = pipeline.queries(StoreReader.of(running.streams()));
        KafkaStreams streams = running.streams();
        QueryRouter router = context.router();
        MessengerTopics topics = pipeline.messengerTopics();
        MessengerEvents.register(routes, pipeline, queries, context.publisher());

        routes.post("/api/messenger/messages", Doc.of("Send a message to a direct or group conversation; accepted while the "
                        + "messenger pipeline is down too, since Kafka keeps the message until the pipeline is back").tag(TAG)
                        .access(Access.ownData("messages: the sender is the caller")).accepts(SendMessageRequest.class).returns(Accepted.class).status(202).errors(503),
                ctx -> send(ctx, context.publisher(), topics));
        new MessengerCommands(context.publisher(), topics).register(routes);
        routes.get("/api/messenger/users/{user}/inbox", Doc.of("A user's conversations with last message and unread count, newest first")
                        .tag(TAG).access(Access.ownData("inbox")).returnsListOf(InboxItem.class).path("user", "a user id", "ana")
                        .query("limit", "integer", "at most this many (1-200, default 50)").keyLookup(),
                ctx -> {
                    String user = id(ctx, "user");
                    int limit = limit(ctx);
                    Ownership.requireSelf(ctx, user, "inbox");
                    router.byKey(ctx, streams, MessengerStores.INBOX, user, local -> queries.inbox(user, limit));
                });
        routes.get("/api/messenger/conversations/{conversation}/messages", Doc.of("A conversation's messages by sequence, newest first")
                        .tag(TAG).access(Access.ownData("conversations: the caller is a member")).returns(ConversationPage.class)
                        .path("conversation", "a group id, or dm:<a>:<b> with a < b", "dm:ana:ben")
                        .query("before", "integer", "only messages with a lower sequence (the previous page's nextBefore)")
                        .query("limit", "integer", "at most this many (1-200, default 50)").keyLookup().errors(404),
                ctx -> {
                    String conversation = Params.path(ctx, "conversation", ConversationIds::isValidConversation,
                            "a group id, or dm:<a>:<b> with two user ids in order");
                    Optional<Long> before = Params.wholeNumber(ctx, "before", 1, Long.MAX_VALUE);
                    int limit = limit(ctx);
                    router.byKey(ctx, streams, MessengerStores.CONVERSATION_MESSAGES, conversation, local -> {
                        requireMember(local, queries, conversation);
                        return queries.messages(conversation, before, limit)
                                .orElseThrow(() -> ApiException.notFound("No messages in conversation " + conversation));
                    });
                });
        routes.get("/api/messenger/messages/{messageId}/status", Doc.of("Delivered/read status of a message per recipient")
                        .tag(TAG).access(Access.ownData("messages: the caller sent or received it")).returns(QueryRouter.Scattered.class)
                        .path("messageId", "a message id", "m-1").errors(404, 503),
                ctx -> status(ctx, router, streams, queries));
        routes.get("/api/messenger/users/{user}/presence", Doc.of("Whether a user is online, last seen, and where they are typing")
                        .tag(TAG).access(Access.ownData("presence")).returns(PresenceView.class).path("user", "a user id", "ana")
                        .keyLookup().errors(404),
                ctx -> {
                    String user = id(ctx, "user");
                    Ownership.requireSelf(ctx, user, "presence");
                    router.byKey(ctx, streams, MessengerStores.PRESENCE, user, local -> queries.presence(user)
                            .orElseThrow(() -> ApiException.notFound("User " + user + " has never been seen")));
                });
        routes.get("/api/messenger/groups/{groupId}", Doc.of("A group's owner and members").tag(TAG)
                        .access(Access.ownData("groups: the caller is a member")).returns(GroupView.class)
                        .path("groupId", "a group id", "trip-1").keyLookup().errors(404),
                ctx -> {
                    String groupId = id(ctx, "groupId");
                    router.byKey(ctx, streams, MessengerStores.GROUPS, groupId, local -> {
                        GroupView group = queries.group(groupId).orElseThrow(() -> ApiException.notFound("No group " + groupId));
                        Ownership.requireOneOf(local, group.members().stream().map(MessengerQueries.Member::user).toList(),
                                "group " + groupId);
                        return group;
                    });
                });
        routes.get("/api/messenger/users/{user}/search", Doc.of("The user's own plaintext messages that contain every term, were "
                        + "sent by a user, or belong to the direct conversation with a user (any of these, at least one), newest first")
                        .tag(TAG).access(Access.ownData("messages")).returnsListOf(MessageView.class).path("user", "a user id", "ana")
                        .query("q", "string", "the terms to find")
                        .query("from", "string", "only messages this user sent")
                        .query("with", "string", "only messages of the direct conversation with this user")
                        .query("limit", "integer", "at most this many (1-200, default 50)").keyLookup(),
                ctx -> {
                    String user = id(ctx, "user");
                    MessageSearch search = search(ctx);
                    int limit = limit(ctx);
                    Ownership.requireSelf(ctx, user, "messages");
                    router.byKey(ctx, streams, MessengerStores.SEARCH_INDEX, user, local -> queries.search(user, search, limit));
                });
    }

    private void send(Context ctx, EventPublisher publisher, MessengerTopics topics) {
        SendMessageRequest request = JsonBody.read(ctx, SendMessageRequest.class);
        SendMessage message = message(Ownership.actingUser(ctx, request.sender().orElse(null), "sender"), request);
        MessengerCommands.answer(ctx, publisher.publish(topics.messages(), MessengerTopics.messageKey(message), message), landed -> accepted(message, landed));
    }

    /** The message {@code sender} asks to send, checked by the pipeline's own rules (400 with their reason). */
    static SendMessage message(String sender, SendMessageRequest request) {
        SendMessage message = new SendMessage(request.messageId().orElseGet(() -> UUID.randomUUID().toString()), sender,
                request.conversationType(), request.to(), request.body().orElse(null), base64(request.ciphertext(), "ciphertext"),
                base64(request.nonce(), "nonce"), request.mediaUrl().orElse(null), request.timestamp().orElseGet(System::currentTimeMillis));
        MessengerCommands.refuse(MessageRules.check(message));
        return message;
    }

    static Accepted accepted(SendMessage message, EventPublisher.Coordinates landed) {
        return new Accepted(message.getMessageId(), MessengerTopics.messageKey(message),
                landed.topic(), landed.partition(), landed.offset());
    }

    private void status(Context ctx, QueryRouter router, KafkaStreams streams, MessengerQueries queries) {
        String messageId = id(ctx, "messageId");
        // A message id says nothing of its conversation's partition, so every instance looks in its own part.
        router.scatter(ctx, streams, MessengerStores.MESSAGE_LOCATIONS,
                local -> new StatusPart(queries.status(messageId).stream().toList()),
                new TypeReference<StatusPart>() { },
                parts -> {
                    Optional<MessageStatus> found = parts.stream().flatMap(part -> part.found().stream()).findFirst();
                    if (found.isEmpty() && parts.size() >= instances(streams)) {
                        throw ApiException.notFound("No message " + messageId);
                    }
                    if (found.isEmpty()) {
                        throw ApiException.unavailable("Not every instance answered; the message may be on one that did not",
                                QueryRouter.RETRY_AFTER_SECONDS);
                    }
                    MessageStatus status = found.get();
                    List<String> parties = new java.util.ArrayList<>(status.recipients().stream().map(r -> r.user()).toList());
                    parties.add(status.sender());
                    Ownership.requireOneOf(ctx, parties, "the status of message " + messageId);
                    return status;
                });
    }

    /** A conversation is read only by its members: the two users of a direct one, the members of a group (read here, where the group is). */
    private static void requireMember(Context ctx, MessengerQueries queries, String conversation) {
        if (ConversationIds.isDirect(conversation)) {
            Ownership.requireOneOf(ctx, ConversationIds.participants(conversation), "conversation " + conversation);
            return;
        }
        List<String> members = queries.group(conversation).map(g -> g.members().stream().map(MessengerQueries.Member::user).toList())
                .orElse(List.of());
        Ownership.requireOneOf(ctx, members, "conversation " + conversation);
    }

    // Only once the router found the pipeline RUNNING: the metadata of a pipeline that is not cannot be read.
    private static int instances(KafkaStreams streams) {
        QueryRouter.requireRunning(streams);
        return Math.max(1, streams.streamsMetadataForStore(MessengerStores.MESSAGE_LOCATIONS).size());
    }

    static String id(Context ctx, String name) {
        return Params.path(ctx, name, ConversationIds::isValidId, "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }

    private static int limit(Context ctx) {
        return Params.wholeNumber(ctx, "limit", 1, MAX_LIMIT).map(Long::intValue).orElse(DEFAULT_LIMIT);
    }

    private static MessageSearch search(Context ctx) {
        Optional<String> text = Params.query(ctx, "q");
        if (text.isPresent() && (text.get().length() > MAX_QUERY_LENGTH || SearchTerms.of(text.get()).isEmpty())) {
            throw ApiException.badRequest("query parameter 'q' must hold at least one word of 2+ letters or digits, in at most "
                    + MAX_QUERY_LENGTH + " characters");
        }
        Optional<String> from = userParam(ctx, "from");
        Optional<String> with = userParam(ctx, "with");
        if (text.isEmpty() && from.isEmpty() && with.isEmpty()) {
            throw ApiException.badRequest("give at least one of the query parameters 'q' (terms), 'from' or 'with' (user ids)");
        }
        return new MessageSearch(text, from, with);
    }

    private static Optional<String> userParam(Context ctx, String name) {
        return Params.query(ctx, name, value -> Optional.of(value).filter(ConversationIds::isValidId), "a user id");
    }

    private static ByteBuffer base64(Optional<String> value, String field) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return ByteBuffer.wrap(Base64.getDecoder().decode(value.get()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field '" + field + "': expected base64");
        }
    }
}

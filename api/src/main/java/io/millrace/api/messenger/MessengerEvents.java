package io.millrace.api.messenger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.api.ApiException;
import io.millrace.api.EventPublisher;
import io.millrace.api.EventPublisher.Coordinates;
import io.millrace.api.Json;
import io.millrace.api.JsonBody;
import io.millrace.api.Params;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Caller;
import io.millrace.api.auth.Ownership;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.iq.QueryRouter;
import io.millrace.api.live.Follow;
import io.millrace.api.live.LiveEvent;
import io.millrace.api.live.Subscription;
import io.millrace.api.messenger.MessengerApi.SendMessageRequest;
import io.millrace.api.messenger.MessengerCommands.ReceiptRequest;
import io.millrace.api.messenger.MessengerCommands.TypingRequest;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.schemas.messenger.UserEvent;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.messenger.MessengerQueries;
import io.millrace.topology.messenger.MessengerQueries.MessageView;
import io.millrace.topology.messenger.MessengerTopics;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A user's own live stream: {@code GET /api/messenger/users/{user}/events} (server-sent events) and
 * {@code /api/messenger/users/{user}/socket} (WebSocket), from {@code messenger.user-events}: their messages as they are
 * sequenced (the body opened for them, or the client's ciphertext untouched), read receipts of their messages, typing
 * and presence in their conversations. On the WebSocket the client also sends messages, receipts and typing.
 */
final class MessengerEvents {

    /** A message as it reaches a member: SENT for the sender's own copy (their other devices), RECEIVED otherwise. */
    record MessageEvent(String role, MessageView message) {
    }

    record ReceiptEvent(String conversation, String reader, long upTo, long timestamp) {
    }

    record TypingEvent(String conversation, String user, boolean typing, long timestamp) {
    }

    record PresenceEvent(String user, boolean online, long timestamp) {
    }

    /** What the socket answers a client's message with; {@code ref} is the client's own, echoed so it can match them. */
    record Ack(Optional<String> ref, String type, Object accepted) {
    }

    private static final long PUBLISH_WAIT_SECONDS = 10;

    private MessengerEvents() {
    }

    static void register(ApiRoutes routes, MessengerPipeline pipeline, MessengerQueries queries, EventPublisher publisher) {
        MessengerTopics topics = pipeline.messengerTopics();
        routes.subscribe("/api/messenger/users/{user}/events", "/api/messenger/users/{user}/socket",
                Doc.of("A user's messages, read receipts, typing and presence as they happen, pushed (server-sent events; the same "
                                + "as a WebSocket at /api/messenger/users/{user}/socket, on which the client also sends "
                                + "{\"type\": \"message\" | \"receipt\" | \"typing\", …} as the POST endpoints take them)")
                        .tag("messenger").access(Access.ownData("events")).path("user", "a user id", "ana"),
                Subscription.of("messenger-user-events", topics.userEvents().name(), topics.userEvents().valueSerde().deserializer(), ctx -> {
                    String user = Params.id(ctx, "user");
                    Ownership.requireSelf(ctx, user, "events");
                    return Follow.<UserEvent>key(user, event -> Optional.of(view(user, event, queries)));
                }).inbound((caller, message) -> receive(caller, message, publisher, topics)));
    }

    private static LiveEvent view(String user, UserEvent event, MessengerQueries queries) {
        return switch (event.getKind()) {
            case MESSAGE -> new LiveEvent("message", new MessageEvent(event.getActor().equals(user) ? "SENT" : "RECEIVED",
                    queries.view(event.getMessage())));
            case RECEIPT -> new LiveEvent("receipt", new ReceiptEvent(event.getConversation(), event.getActor(), event.getSequence(),
                    event.getTimestamp()));
            case TYPING -> new LiveEvent("typing", new TypingEvent(event.getConversation(), event.getActor(), event.getTyping(),
                    event.getTimestamp()));
            case PRESENCE -> new LiveEvent("presence", new PresenceEvent(event.getActor(), event.getOnline(), event.getTimestamp()));
        };
    }

    /** A message, receipt or typing change sent on the socket: checked and published as its POST endpoint would. */
    private static Ack receive(Caller caller, JsonNode message, EventPublisher publisher, MessengerTopics topics) {
        ObjectNode fields = ((ObjectNode) message).deepCopy();
        String type = text(fields.remove("type")).orElseThrow(() -> ApiException.badRequest(
                "field 'type' is required: message, receipt or typing"));
        Optional<String> ref = text(fields.remove("ref"));
        ref.ifPresent(r -> JsonBody.requireLabel("ref", r));
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw ApiException.badRequest("A message is one JSON object");
        }
        return switch (type) {
            case "message" -> {
                SendMessageRequest request = JsonBody.parse(body, SendMessageRequest.class);
                SendMessage sent = MessengerApi.message(Ownership.actingUser(caller, request.sender().orElse(null), "sender"), request);
                yield new Ack(ref, type, MessengerApi.accepted(sent, landed(publisher.publish(topics.messages(), MessengerTopics.messageKey(sent), sent))));
            }
            case "receipt" -> {
                ReceiptRequest request = JsonBody.parse(body, ReceiptRequest.class);
                String user = Ownership.actingUser(caller, request.user().orElse(null), "user");
                yield new Ack(ref, type, landed(publisher.publish(topics.receipts(), user, MessengerCommands.receipt(user, request))));
            }
            case "typing" -> {
                TypingRequest request = JsonBody.parse(body, TypingRequest.class);
                String user = Ownership.actingUser(caller, request.user().orElse(null), "user");
                yield new Ack(ref, type, landed(publisher.publish(topics.typing(), user, MessengerCommands.typing(user, request))));
            }
            default -> throw ApiException.badRequest("type is message, receipt or typing, not '" + Params.shown(type) + "'");
        };
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || !node.isTextual() || node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    private static Coordinates landed(CompletableFuture<Coordinates> landing) {
        try {
            return landing.get(PUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.unavailable("The event could not be written to Kafka; try again", QueryRouter.RETRY_AFTER_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted", QueryRouter.RETRY_AFTER_SECONDS);
        }
    }
}

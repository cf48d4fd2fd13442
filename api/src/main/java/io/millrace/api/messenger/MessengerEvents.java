package io.millrace.api.messenger;

import io.millrace.api.Params;
import io.millrace.api.auth.Access;
import io.millrace.api.auth.Ownership;
import io.millrace.api.docs.ApiRoutes;
import io.millrace.api.docs.Doc;
import io.millrace.api.live.Follow;
import io.millrace.api.live.LiveEvent;
import io.millrace.api.live.Subscription;
import io.millrace.schemas.messenger.Delivery;
import io.millrace.topology.messenger.MessengerPipeline;
import io.millrace.topology.messenger.MessengerQueries;
import io.millrace.topology.messenger.MessengerQueries.MessageView;
import java.util.Optional;

/**
 * A user's own live stream: {@code GET /api/messenger/users/{user}/events} (server-sent events) and
 * {@code /api/messenger/users/{user}/socket} (WebSocket), each delivery of a message to them as it happens, the body
 * opened for them (or the client's ciphertext untouched).
 */
final class MessengerEvents {

    /** A message as it reaches a member: the message, and whether they sent it (their own copy) or received it. */
    record MessageEvent(String role, MessageView message) {
    }

    private MessengerEvents() {
    }

    static void register(ApiRoutes routes, MessengerPipeline pipeline, MessengerQueries queries) {
        routes.subscribe("/api/messenger/users/{user}/events", "/api/messenger/users/{user}/socket",
                Doc.of("A user's messages as they arrive, pushed (server-sent events; the same as a WebSocket at "
                                + "/api/messenger/users/{user}/socket)").tag("messenger").access(Access.ownData("events"))
                        .path("user", "a user id", "ana"),
                Subscription.of("messenger-user-events", pipeline.messengerTopics().deliveries().name(),
                        pipeline.messengerTopics().deliveries().valueSerde().deserializer(), ctx -> {
                            String user = Params.id(ctx, "user");
                            Ownership.requireSelf(ctx, user, "events");
                            return Follow.<Delivery>key(user, delivery -> Optional.of(new LiveEvent("message",
                                    new MessageEvent(delivery.getRole().name(), queries.view(delivery.getMessage())))));
                        }));
    }
}

package io.millrace.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.millrace.api.auth.Caller;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * An output stream of a pipeline that clients can subscribe to, as server-sent events and as a WebSocket: the topic,
 * how its values decode, and, for each connecting client, what it follows ({@link Follow}). A pipeline API declares one
 * with {@code ApiRoutes.subscribe(...)}; the platform does the rest (reading the topic, routing, resuming, heartbeats,
 * slow clients, metrics).
 */
public final class Subscription<V> {

    /** A message a WebSocket client sends on the stream's socket (a chat message, a receipt): what it answers, or an ApiException. */
    @FunctionalInterface
    public interface Inbound {
        Object receive(Caller caller, JsonNode message);
    }

    final String name;
    final String topic;
    final Deserializer<V> values;
    public final Function<Context, Follow<V>> follow;
    private Optional<Inbound> inbound = Optional.empty();

    private Subscription(String name, String topic, Deserializer<V> values, Function<Context, Follow<V>> follow) {
        this.name = name;
        this.topic = topic;
        this.values = values;
        this.follow = follow;
    }

    /**
     * {@code follow} runs on the connecting request (its path and query parameters, its caller, already authenticated
     * against the route's access): it checks ownership and says what the connection follows, or throws an ApiException.
     */
    public static <V> Subscription<V> of(String name, String topic, Deserializer<V> values, Function<Context, Follow<V>> follow) {
        return new Subscription<>(name, topic, values, follow);
    }

    /** What the stream's WebSocket does with a message from its client. */
    public Subscription<V> inbound(Inbound inbound) {
        this.inbound = Optional.of(inbound);
        return this;
    }

    public Optional<Inbound> inbound() {
        return inbound;
    }

    public String name() {
        return name;
    }

    public String topic() {
        return topic;
    }
}

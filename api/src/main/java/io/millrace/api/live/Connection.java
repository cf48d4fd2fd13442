package io.millrace.api.live;

import io.millrace.api.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client following a subscription. Records reach it through a bounded queue and leave through one sender at a time,
 * in offset order, each at most once (a record at or before the client's position is skipped), so a resuming client gets
 * neither gaps nor duplicates. A client that falls a whole queue behind is sent {@code resync} and closed.
 */
public final class Connection<V> {

    private enum State { STARTING, CATCHING_UP, LIVE, CLOSED }

    private record Item<V>(int partition, long offset, V value, String control) {
        static <V> Item<V> of(int partition, long offset, V value) {
            return new Item<>(partition, offset, value, null);
        }

        static <V> Item<V> control(String what) {
            return new Item<>(-1, -1, null, what);
        }
    }

    private static final String HEARTBEAT = "heartbeat";

    private final LiveHub hub;
    private final String stream;
    private final Follow<V> follow;
    private final Transport transport;
    private final ArrayBlockingQueue<Item<V>> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private volatile State state = State.STARTING;
    /** The next offset the client has not seen, per partition: touched only by whoever sends (one at a time). */
    private final Map<Integer, Long> next = new HashMap<>();

    Connection(LiveHub hub, String stream, Follow<V> follow, Transport transport, int capacity) {
        this.hub = hub;
        this.stream = stream;
        this.follow = follow;
        this.transport = transport;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** A record for this client, from the live stream: queued, never waited on. */
    void offer(int partition, long offset, V value) {
        if (state == State.CLOSED || overflowed.get()) {
            return;
        }
        if (!queue.offer(Item.of(partition, offset, value))) {
            hub.droppedSlow(stream);
            resync("slow_client", "The client fell more than " + (queue.size() + queue.remainingCapacity())
                    + " events behind; resume from the last id received, or read the current state and subscribe again");
            return;
        }
        if (state == State.LIVE) {
            scheduleDrain();
        }
    }

    void heartbeat() {
        if (state == State.LIVE && !overflowed.get() && queue.offer(Item.control(HEARTBEAT))) {
            scheduleDrain();
        }
    }

    /** Starts live at {@code position}: the first event is {@code ready} with it. */
    void start(Position position) {
        synchronized (this) {
            next.putAll(position.next());
            send(new LiveEvent("ready", Map.of("stream", stream, "position", position.toString())));
        }
        goLiveNow();
    }

    /** A resuming client: the events it missed come first (replay), then the queue. */
    void beginCatchUp(Position from) {
        synchronized (this) {
            state = State.CATCHING_UP;
            next.putAll(from.next());
            send(new LiveEvent("ready", Map.of("stream", stream, "position", from.toString(), "resumed", true)));
        }
    }

    synchronized void replay(int partition, long offset, V value) {
        emit(partition, offset, value);
    }

    void goLive(Position caughtUpTo) {
        synchronized (this) {
            caughtUpTo.next().forEach((partition, offset) -> next.merge(partition, offset, Math::max));
        }
        goLiveNow();
    }

    private void goLiveNow() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.LIVE;
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                hub.senders.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                close();
            }
        }
    }

    private void drain() {
        while (true) {
            Item<V> item;
            while (state == State.LIVE && (item = queue.poll()) != null) {
                synchronized (this) {
                    if (item.control() != null) {
                        control(item.control());
                    } else {
                        emit(item.partition(), item.offset(), item.value());
                    }
                }
            }
            draining.set(false);
            // A record queued after the last poll but before the flag dropped would wait for the next one: look again.
            if (state != State.LIVE || queue.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void emit(int partition, long offset, V value) {
        if (state == State.CLOSED || offset < next.getOrDefault(partition, 0L)) {
            return;
        }
        next.put(partition, offset + 1);
        Optional<LiveEvent> event = follow.view().apply(value);
        if (event.isPresent()) {
            send(event.get());
            hub.sent(stream);
        }
    }

    private void control(String what) {
        if (HEARTBEAT.equals(what)) {
            try {
                transport.heartbeat();
            } catch (IOException gone) {
                close();
            }
        }
    }

    private void send(LiveEvent event) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            transport.send(Position.of(next).toString(), event.type(), Json.MAPPER.writeValueAsString(event.data()));
        } catch (IOException gone) {
            close();
        }
    }

    /**
     * Tells the client it must start again (it was too slow, or what it missed is gone) and closes. If the client does not
     * take even that within the send timeout, it is closed without it.
     */
    void resync(String reason, String detail) {
        if (!overflowed.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        hub.timers.schedule(this::close, LiveHub.SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        hub.senders.execute(() -> {
            synchronized (this) {
                send(new LiveEvent("resync", Map.of("reason", reason, "detail", detail)));
            }
            close();
        });
    }

    /** A reply to a message the client sent on a WebSocket, in the same order as events. */
    public synchronized void reply(LiveEvent event) {
        send(event);
    }

    void onClose(Runnable action) {
        onClose.add(action);
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        state = State.CLOSED;
        queue.clear();
        onClose.forEach(Runnable::run);
        transport.close();
    }
}

package io.millrace.topology.fraud;

import java.util.ArrayList;
import java.util.List;

/**
 * A card's authorization attempts over the last 24 hours, for counts and amounts in 1-minute, 1-hour and
 * 24-hour windows. Kept as a short list of (time, count, amount); when a card makes more attempts than
 * {@link #MAX_BUCKETS}, its oldest ones are merged, which keeps short windows exact and long ones close.
 */
public final class Velocity {

    public static final long MINUTE_MS = 60_000;
    public static final long HOUR_MS = 60 * MINUTE_MS;
    public static final long DAY_MS = 24 * HOUR_MS;
    static final int MAX_BUCKETS = 128;

    /** Attempts at one time (or merged older ones, at the time of the newest of them). */
    public record Attempts(long at, int count, long amount) {
    }

    /** Counts and amounts per window, as of one instant. */
    public record Windows(int count1m, long amount1m, int count1h, long amount1h, int count24h, long amount24h) {
    }

    private final List<Attempts> attempts;

    public Velocity(List<Attempts> attempts) {
        this.attempts = new ArrayList<>(attempts);
    }

    public static Velocity empty() {
        return new Velocity(List.of());
    }

    /** The windows ending at {@code now}, counting an attempt of {@code amount} at {@code now} as well. */
    public Windows withAttempt(long now, long amount) {
        int c1m = 1;
        int c1h = 1;
        int c24h = 1;
        long a1m = amount;
        long a1h = amount;
        long a24h = amount;
        for (Attempts a : attempts) {
            long age = now - a.at();
            if (age < 0 || age >= DAY_MS) {
                continue;
            }
            c24h += a.count();
            a24h += a.amount();
            if (age < HOUR_MS) {
                c1h += a.count();
                a1h += a.amount();
            }
            if (age < MINUTE_MS) {
                c1m += a.count();
                a1m += a.amount();
            }
        }
        return new Windows(c1m, a1m, c1h, a1h, c24h, a24h);
    }

    /** Adds an attempt and forgets what is more than a day older than the newest attempt. */
    public Velocity record(long at, long amount) {
        List<Attempts> next = new ArrayList<>(attempts.size() + 1);
        long newest = at;
        for (Attempts a : attempts) {
            newest = Math.max(newest, a.at());
        }
        for (Attempts a : attempts) {
            if (newest - a.at() < DAY_MS) {
                next.add(a);
            }
        }
        int position = next.size();
        while (position > 0 && next.get(position - 1).at() > at) {
            position--;
        }
        next.add(position, new Attempts(at, 1, amount));
        while (next.size() > MAX_BUCKETS) {
            Attempts oldest = next.remove(0);
            Attempts second = next.get(0);
            next.set(0, new Attempts(second.at(), oldest.count() + second.count(), oldest.amount() + second.amount()));
        }
        return new Velocity(next);
    }

    public List<Attempts> attempts() {
        return List.copyOf(attempts);
    }
}

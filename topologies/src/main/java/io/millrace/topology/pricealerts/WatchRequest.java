package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;

/** A user's watch placed, or one cancelled: the two inputs of the watch registry, side by side (never on a topic). */
record WatchRequest(PriceWatch placed, WatchCancelled cancelled) {

    static WatchRequest place(PriceWatch watch) {
        return new WatchRequest(watch, null);
    }

    static WatchRequest cancel(WatchCancelled cancelled) {
        return new WatchRequest(null, cancelled);
    }
}

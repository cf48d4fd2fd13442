package io.millrace.topology.recommendations;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.recommendations.CoViews;
import io.millrace.schemas.recommendations.FeedUpdate;
import io.millrace.schemas.recommendations.TrendSignal;

/**
 * What a user's activity emits, one of: a trending signal (keyed by category), the items an item was seen with (keyed by
 * item), a feed update (keyed by user), a rejection.
 */
record ActivityOutput(TrendSignal signal, CoViews coViews, FeedUpdate feedUpdate, Rejected rejected) {

    static ActivityOutput signal(TrendSignal signal) {
        return new ActivityOutput(signal, null, null, null);
    }

    static ActivityOutput coViews(CoViews coViews) {
        return new ActivityOutput(null, coViews, null, null);
    }

    static ActivityOutput feedUpdate(FeedUpdate update) {
        return new ActivityOutput(null, null, update, null);
    }

    static ActivityOutput rejected(Rejected rejected) {
        return new ActivityOutput(null, null, null, rejected);
    }
}

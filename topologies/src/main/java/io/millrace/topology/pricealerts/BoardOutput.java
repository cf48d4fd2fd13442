package io.millrace.topology.pricealerts;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceMove;

/** What the price board emits, one of: an alert for a user, a search's new best price for its packages, a rejection. */
record BoardOutput(PriceAlert alert, PriceMove move, Rejected rejected) {

    static BoardOutput alert(PriceAlert alert) {
        return new BoardOutput(alert, null, null);
    }

    static BoardOutput move(PriceMove move) {
        return new BoardOutput(null, move, null);
    }

    static BoardOutput rejected(Rejected rejected) {
        return new BoardOutput(null, null, rejected);
    }
}

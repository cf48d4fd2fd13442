package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.BestPrice;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceMove;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the parts of a destination's packages for a day current as searches' best prices move: the flights arriving
 * that day (every origin, cheapest first), and the stays and rentals starting that day, by their last day. A package for
 * given dates is then three reads (see {@link PricealertsQueries#packageOf}).
 */
final class PackageAssembler implements Processor<String, PriceMove, Void, Void> {

    static final String FLIGHTS = "flight";
    static final String FLIGHT_BY_ORIGIN = "flight-by";
    static final String HOTELS = "hotel";
    static final String CARS = "car";

    private KeyValueStore<String, BestPrice> parts;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.parts = context.getStateStore(PricealertsStores.PACKAGES);
    }

    @Override
    public void process(Record<String, PriceMove> record) {
        PriceMove move = record.value();
        Optional<OfferKeys.PackagePart> part = OfferKeys.packagePart(move.getSearchKey());
        if (part.isEmpty() || !part.get().packageKey().equals(record.key())) {
            return;
        }
        String packageKey = part.get().packageKey();
        BestPrice best = move.getBest();
        if (part.get().kind() == OfferKind.FLIGHT) {
            String byOrigin = entry(packageKey, FLIGHT_BY_ORIGIN, move.getSearchKey());
            BestPrice old = parts.get(byOrigin);
            if (old != null) {
                parts.delete(flight(packageKey, old.getUsdMinor(), move.getSearchKey()));
            }
            if (best == null) {
                parts.delete(byOrigin);
            } else {
                parts.put(byOrigin, best);
                parts.put(flight(packageKey, best.getUsdMinor(), move.getSearchKey()), best);
            }
            return;
        }
        String stay = entry(packageKey, part.get().kind() == OfferKind.HOTEL ? HOTELS : CARS, part.get().lastDay());
        if (best == null) {
            parts.delete(stay);
        } else {
            parts.put(stay, best);
        }
    }

    static String entry(String packageKey, String part, String which) {
        return BoardKeys.join(BoardKeys.join(packageKey, part), which);
    }

    static String flight(String packageKey, long usdMinor, String search) {
        return entry(packageKey, FLIGHTS, BoardKeys.padded(usdMinor, 19) + BoardKeys.SEPARATOR + search);
    }
}

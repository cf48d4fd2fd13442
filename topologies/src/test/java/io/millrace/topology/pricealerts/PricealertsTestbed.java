package io.millrace.topology.pricealerts;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.pricealerts.CarOffer;
import io.millrace.schemas.pricealerts.FlightOffer;
import io.millrace.schemas.pricealerts.FxRate;
import io.millrace.schemas.pricealerts.HotelOffer;
import io.millrace.schemas.pricealerts.OfferKind;
import io.millrace.schemas.pricealerts.PriceAlert;
import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.schemas.pricealerts.PriceWatch;
import io.millrace.schemas.pricealerts.WatchCancelled;
import io.millrace.schemas.pricealerts.WatchMode;
import io.millrace.topology.testkit.PipelineTestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The price alerts pipeline in a TopologyTestDriver, with quotes, watches and rates built the way providers and clients
 * send them. The wall clock starts at {@link #T0}; travel dates are a month later.
 */
final class PricealertsTestbed implements AutoCloseable {

    static final Instant T0 = Instant.parse("2027-02-01T10:00:00Z");
    static final String DAY = "2027-03-02";
    static final String LAST_DAY = "2027-03-05";
    static final Duration VALID = Duration.ofMinutes(30);

    final PipelineTestDriver<PricealertsPipeline> kit;
    final PricealertsPipeline pipeline;
    final TestInputTopic<String, PriceQuote> quotes;
    final TestInputTopic<String, PriceWatch> watches;
    final TestInputTopic<String, WatchCancelled> cancellations;
    final TestInputTopic<String, FxRate> rates;
    final TestOutputTopic<String, PriceAlert> alerts;
    private Instant now = T0;

    PricealertsTestbed(Path stateDir) {
        kit = PipelineTestDriver.start(context -> new PricealertsPipeline(context, PricealertsConfig.defaults()), stateDir, T0);
        pipeline = kit.pipeline;
        PricealertsTopics topics = pipeline.pricealertsTopics();
        quotes = kit.input(topics.quotes());
        watches = kit.input(topics.watches());
        cancellations = kit.input(topics.cancellations());
        rates = kit.input(topics.fxRates());
        alerts = kit.output(topics.notifications());
    }

    // ---- events

    static FlightOffer flight(String origin, String destination, String carrier, String departure) {
        return new FlightOffer(origin, destination, DAY, carrier, departure, "20:45", 0);
    }

    static HotelOffer hotel(String city, String hotelId, int stars) {
        return new HotelOffer(city, hotelId, DAY, LAST_DAY, stars);
    }

    static CarOffer car(String location, String carClass) {
        return new CarOffer(location, DAY, LAST_DAY, carClass);
    }

    PriceQuote quote(String provider, FlightOffer flight, long priceMinor, String currency) {
        return offer(OfferKind.FLIGHT, provider, flight, null, null, priceMinor, currency, VALID);
    }

    PriceQuote quote(String provider, HotelOffer hotel, long priceMinor, String currency) {
        return offer(OfferKind.HOTEL, provider, null, hotel, null, priceMinor, currency, VALID);
    }

    PriceQuote quote(String provider, CarOffer car, long priceMinor, String currency) {
        return offer(OfferKind.CAR, provider, null, null, car, priceMinor, currency, VALID);
    }

    PriceQuote offer(OfferKind kind, String provider, FlightOffer flight, HotelOffer hotel, CarOffer car, long priceMinor, String currency,
                     Duration validFor) {
        return new PriceQuote(kind, provider, flight, hotel, car, priceMinor, currency, now.toEpochMilli(), now.plus(validFor).toEpochMilli());
    }

    /** Sends a quote keyed as a provider keys it: by its search key. */
    void send(PriceQuote quote) {
        quotes.pipeInput(OfferKeys.searchKeyOf(OfferKeys.offerKey(quote.getKind(), quote.getFlight(), quote.getHotel(), quote.getCar())),
                quote, now);
    }

    void rate(String currency, double perUsd) {
        rates.pipeInput(currency, new FxRate(currency, perUsd, now.toEpochMilli()), now);
    }

    void watch(String user, String watchId, String target, long thresholdMinor, String currency) {
        watches.pipeInput(user, new PriceWatch(watchId, user, target, WatchMode.THRESHOLD, thresholdMinor, currency, now.toEpochMilli()), now);
    }

    void watchAnyDrop(String user, String watchId, String target, String currency) {
        watches.pipeInput(user, new PriceWatch(watchId, user, target, WatchMode.ANY_DROP, null, currency, now.toEpochMilli()), now);
    }

    void cancel(String user, String watchId) {
        cancellations.pipeInput(user, new WatchCancelled(watchId, user, now.toEpochMilli()), now);
    }

    /** Moves the wall clock on, running the punctuators that are due (lapsed quotes leave). */
    void advance(Duration duration) {
        now = now.plus(duration);
        kit.driver.advanceWallClockTime(duration);
    }

    Instant now() {
        return now;
    }

    // ---- what came out

    List<PriceAlert> alerts() {
        return alerts.readValuesToList();
    }

    List<Rejected> rejections() {
        return kit.rejections();
    }

    PricealertsQueries queries() {
        return pipeline.queries(kit.stores());
    }

    /** The best price of an offer or search now, in {@code currency}, in minor units; -1 when it has none. */
    long best(String key, String currency) {
        return queries().best(OfferKeys.parse(key).orElseThrow(), currency, now.toEpochMilli())
                .map(b -> b.best().price().minor()).orElse(-1L);
    }

    @Override
    public void close() {
        kit.close();
    }
}

package io.millrace.bench.simulate.fraud;

import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.fraud.AuthorizationRequest;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CardUpdate;
import io.millrace.schemas.fraud.MerchantRisk;
import io.millrace.schemas.fraud.Refund;
import io.millrace.schemas.fraud.Settlement;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.fraud.FraudPipeline;
import io.millrace.topology.fraud.FraudTopics;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Card traffic: a million cards, each with a home city, a typical spend and a credit limit, buying mostly near home;
 * settlements and refunds of earlier purchases; and injected fraud with its ground truth in headers
 * ({@link #LABEL_HEADER}, {@link #PATTERN_HEADER}): card-testing bursts, impossible travel, sudden large amounts.
 * Producers send raw card numbers, as a gateway would. A card's first use in a run comes 2 s after its card update.
 */
public final class FraudSimulator implements Simulator {

    public static final String LABEL_HEADER = "millrace.label";
    public static final String PATTERN_HEADER = "millrace.fraud-pattern";
    public static final String FRAUD = "fraud";
    public static final String LEGIT = "legit";

    static final int CARDS = 1_000_000;
    static final int RISKY_MERCHANTS = 12;
    // A card is used a moment after the issuer announced it, as a card is activated before it is used; the update
    // travels on its own topic, so a pipeline that is behind could otherwise see the purchase first.
    static final long ACTIVATION_MS = 2_000;

    /** A city cards live in and merchants trade in. */
    record City(String code, String country, String currency, double latitude, double longitude) {
    }

    static final City[] CITIES = {
            new City("nyc", "US", "USD", 40.7128, -74.0060), new City("lax", "US", "USD", 34.0522, -118.2437),
            new City("chi", "US", "USD", 41.8781, -87.6298), new City("hou", "US", "USD", 29.7604, -95.3698),
            new City("sea", "US", "USD", 47.6062, -122.3321), new City("mia", "US", "USD", 25.7617, -80.1918),
            new City("tor", "CA", "CAD", 43.6532, -79.3832), new City("mex", "MX", "MXN", 19.4326, -99.1332),
            new City("lon", "GB", "GBP", 51.5074, -0.1278), new City("par", "FR", "EUR", 48.8566, 2.3522),
            new City("ber", "DE", "EUR", 52.5200, 13.4050), new City("mad", "ES", "EUR", 40.4168, -3.7038),
            new City("rom", "IT", "EUR", 41.9028, 12.4964), new City("ams", "NL", "EUR", 52.3676, 4.9041),
            new City("sao", "BR", "BRL", -23.5505, -46.6333), new City("bue", "AR", "ARS", -34.6037, -58.3816),
            new City("tok", "JP", "JPY", 35.6762, 139.6503), new City("seo", "KR", "KRW", 37.5665, 126.9780),
            new City("sin", "SG", "SGD", 1.3521, 103.8198), new City("syd", "AU", "AUD", -33.8688, 151.2093),
            new City("mum", "IN", "INR", 19.0760, 72.8777), new City("dxb", "AE", "AED", 25.2048, 55.2708),
            new City("jnb", "ZA", "ZAR", -26.2041, 28.0473), new City("lag", "NG", "NGN", 6.5244, 3.3792)};

    private static final String[] EVERYDAY_CATEGORIES = {"5411", "5812", "5814", "5541", "5912", "5311", "4121", "5999"};
    private static final String[] BIG_TICKET_CATEGORIES = {"5732", "5944", "5045"};
    private static final String[] ONLINE_CATEGORIES = {"5816", "5818", "5999", "4814"};

    private final FraudTopics topics;
    private final String runId;
    private final BitSet announced = new BitSet(CARDS);
    private final Map<Integer, Long> activating = new HashMap<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(Comparator.comparingLong(Scheduled::dueMillis));
    private final ArrayDeque<Sent> recentRequests = new ArrayDeque<>();
    private final ArrayDeque<Purchase> unsettled = new ArrayDeque<>();
    private final ArrayDeque<Purchase> settled = new ArrayDeque<>();
    private long sequence;
    private int merchantRatings;

    private record Scheduled(long dueMillis, long order, Attempt attempt) {
    }

    /** An authorization to send for a card, with its ground truth. */
    private record Attempt(int card, AuthorizationRequest.Builder request, String label, String pattern) {
    }

    private record Purchase(String transactionId, long amount) {
    }

    /** A request as sent, for a gateway's retry of it. */
    private record Sent(AuthorizationRequest request, Map<String, String> headers) {
    }

    public FraudSimulator(PipelineContext context) {
        this.topics = new FraudTopics(context.serdes());
        this.runId = Long.toString(System.currentTimeMillis(), 36);
    }

    @Override
    public String pipeline() {
        return FraudPipeline.NAME;
    }

    @Override
    public String outputTopic() {
        return FraudTopics.DECISIONS;
    }

    @Override
    public SimulatedEvent next(SplittableRandom random, long nowMillis) {
        if (merchantRatings < RISKY_MERCHANTS) {
            String merchant = "m-online-" + merchantRatings++;
            return SimulatedEvent.of(topics.merchantRisk(), merchant, new MerchantRisk(merchant, 0.6 + 0.03 * merchantRatings, nowMillis));
        }
        Scheduled due = scheduled.peek();
        if (due != null && due.dueMillis() <= nowMillis) {
            scheduled.poll();
            return send(due.attempt(), nowMillis);
        }
        double roll = random.nextDouble();
        if (roll < 0.001) {
            return SimulatedEvent.garbage(FraudTopics.AUTHORIZATION_REQUESTS, "garbage-" + sequence++);
        }
        if (roll < 0.003) {
            return invalid(random, nowMillis);
        }
        if (roll < 0.008 && !recentRequests.isEmpty()) {
            return retry(random, nowMillis);
        }
        if (roll < 0.011) {
            return cardTesting(random, nowMillis);
        }
        if (roll < 0.013) {
            return impossibleTravel(random, nowMillis);
        }
        if (roll < 0.015) {
            return largeAmount(random, nowMillis);
        }
        if (roll < 0.045 && !unsettled.isEmpty()) {
            return settle(random, nowMillis);
        }
        if (roll < 0.048 && !settled.isEmpty()) {
            return refund(random, nowMillis);
        }
        return send(everydayPurchase(random, pickCard(random, nowMillis), nowMillis), nowMillis);
    }

    private Attempt everydayPurchase(SplittableRandom random, int card, long now) {
        SplittableRandom profile = profile(card);
        City home = CITIES[profile.nextInt(CITIES.length)];
        long typical = 1_500 + profile.nextInt(10_500);
        double where = random.nextDouble();
        AuthorizationRequest.Builder request;
        if (where < 0.04) {
            request = online(random, card, home, now);
        } else if (where < 0.06) {
            // Abroad, but on line: a cardholder travels for hours, and a one-minute run has no room for that.
            City away = CITIES[random.nextInt(CITIES.length)];
            request = online(random, card, away, now).setMerchantId("m-" + away.code() + "-web-" + random.nextInt(50));
        } else {
            String merchant = random.nextDouble() < 0.7 ? "m-" + home.code() + "-" + profile.nextInt(200) : "m-" + home.code() + "-" + random.nextInt(200);
            request = inCity(random, card, home, merchant, now);
        }
        double factor = Math.exp(random.nextGaussian() * 0.5);
        if (random.nextDouble() < 0.01) {
            factor *= 3 + random.nextInt(4);
        }
        return new Attempt(card, request.setAmount(Math.max(100, Math.round(typical * factor))), LEGIT, null);
    }

    private SimulatedEvent cardTesting(SplittableRandom random, long now) {
        int card = pickCard(random, now);
        City home = CITIES[profile(card).nextInt(CITIES.length)];
        int attempts = 8 + random.nextInt(7);
        long start = announced.get(card) ? now : now + ACTIVATION_MS;
        for (int i = 1; i < attempts; i++) {
            schedule(start + i * (1_500L + random.nextInt(2_500)), new Attempt(card, online(random, card, home, now)
                    .setAmount(100 + random.nextInt(400)), FRAUD, "CARD_TESTING"));
        }
        return send(new Attempt(card, online(random, card, home, now).setAmount(100 + random.nextInt(400)), FRAUD, "CARD_TESTING"), now);
    }

    private SimulatedEvent impossibleTravel(SplittableRandom random, long now) {
        Attempt atHome = everydayPurchase(random, pickCard(random, now), now);
        City home = CITIES[profile(atHome.card()).nextInt(CITIES.length)];
        City far;
        do {
            far = CITIES[random.nextInt(CITIES.length)];
        } while (far.country().equals(home.country()));
        schedule(now + 20_000 + random.nextInt(70_000), new Attempt(atHome.card(), inCity(random, atHome.card(), far,
                "m-" + far.code() + "-" + random.nextInt(200), now).setMerchantCategory(BIG_TICKET_CATEGORIES[random.nextInt(3)])
                .setAmount(5_000 + random.nextInt(60_000)), FRAUD, "IMPOSSIBLE_TRAVEL"));
        return send(atHome, now);
    }

    private SimulatedEvent largeAmount(SplittableRandom random, long now) {
        int card = pickCard(random, now);
        SplittableRandom profile = profile(card);
        City home = CITIES[profile.nextInt(CITIES.length)];
        long typical = 1_500 + profile.nextInt(10_500);
        AuthorizationRequest.Builder request = random.nextBoolean()
                ? inCity(random, card, home, "m-" + home.code() + "-" + random.nextInt(200), now)
                : online(random, card, home, now);
        long amount = Math.max(150_000, typical * (40 + random.nextInt(60)));
        return send(new Attempt(card, request.setMerchantCategory(BIG_TICKET_CATEGORIES[random.nextInt(3)]).setAmount(amount),
                FRAUD, "LARGE_AMOUNT"), now);
    }

    private SimulatedEvent invalid(SplittableRandom random, long now) {
        Attempt attempt = everydayPurchase(random, pickCard(random, now), now);
        if (random.nextBoolean()) {
            attempt.request().setAmount(-attempt.request().getAmount());
        } else {
            attempt.request().setCurrency("XXY");
        }
        return send(attempt, now);
    }

    /** A gateway that timed out sends the same transaction again; it must get the first decision back. */
    private SimulatedEvent retry(SplittableRandom random, long now) {
        Sent[] recent = recentRequests.toArray(Sent[]::new);
        Sent original = recent[random.nextInt(recent.length)];
        AuthorizationRequest again = AuthorizationRequest.newBuilder(original.request()).setTimestamp(now).build();
        return SimulatedEvent.of(topics.authorizationRequests(), again.getTransactionId(), again, original.headers());
    }

    private SimulatedEvent settle(SplittableRandom random, long now) {
        Purchase purchase = unsettled.pollFirst();
        long amount = random.nextDouble() < 0.05 ? 0 : purchase.amount();
        if (amount > 0) {
            remember(settled, purchase, 5_000);
        }
        return SimulatedEvent.of(topics.settlements(), purchase.transactionId(), new Settlement(purchase.transactionId(), amount, now));
    }

    private SimulatedEvent refund(SplittableRandom random, long now) {
        Purchase purchase = settled.pollFirst();
        long amount = random.nextBoolean() ? purchase.amount() : Math.max(1, purchase.amount() / 2);
        return SimulatedEvent.of(topics.refunds(), purchase.transactionId(), new Refund("rf-" + purchase.transactionId(),
                purchase.transactionId(), amount, now));
    }

    /** The attempt, or first the card's update when the card is used for the first time in this run. */
    private SimulatedEvent send(Attempt attempt, long now) {
        if (!announced.get(attempt.card())) {
            announced.set(attempt.card());
            activating.put(attempt.card(), now + ACTIVATION_MS);
            if (activating.size() > 10_000) {
                activating.values().removeIf(readyAt -> readyAt <= now);
            }
            schedule(now + ACTIVATION_MS, attempt);
            SplittableRandom profile = profile(attempt.card());
            City home = CITIES[profile.nextInt(CITIES.length)];
            profile.nextInt(10_500);
            long limit = 200_000 + 100_000L * profile.nextInt(19);
            return SimulatedEvent.of(topics.cardUpdates(), "account-" + attempt.card(), CardUpdate.newBuilder()
                    .setCardNumber(pan(attempt.card())).setCreditLimit(limit).setStatus(CardStatus.ACTIVE)
                    .setHomeCountry(home.country()).setTimestamp(now - 1).build());
        }
        AuthorizationRequest request = attempt.request().setTimestamp(now).build();
        Map<String, String> labels = attempt.pattern() == null ? Map.of(LABEL_HEADER, attempt.label())
                : Map.of(LABEL_HEADER, attempt.label(), PATTERN_HEADER, attempt.pattern());
        SimulatedEvent event = SimulatedEvent.of(topics.authorizationRequests(), request.getTransactionId(), request, labels);
        remember(recentRequests, new Sent(request, labels), 1_000);
        if (LEGIT.equals(attempt.label()) && request.getAmount() > 0) {
            remember(unsettled, new Purchase(request.getTransactionId(), request.getAmount()), 20_000);
        }
        return event;
    }

    private AuthorizationRequest.Builder inCity(SplittableRandom random, int card, City city, String merchant, long now) {
        return base(card, now)
                .setMerchantId(merchant)
                .setMerchantCategory(EVERYDAY_CATEGORIES[random.nextInt(EVERYDAY_CATEGORIES.length)])
                .setCurrency(city.currency())
                .setCountry(city.country())
                .setLatitude(city.latitude() + (random.nextDouble() - 0.5) * 0.2)
                .setLongitude(city.longitude() + (random.nextDouble() - 0.5) * 0.2);
    }

    private AuthorizationRequest.Builder online(SplittableRandom random, int card, City home, long now) {
        return base(card, now)
                .setMerchantId("m-online-" + random.nextInt(500))
                .setMerchantCategory(ONLINE_CATEGORIES[random.nextInt(ONLINE_CATEGORIES.length)])
                .setCurrency(home.currency())
                .setCountry(home.country());
    }

    private AuthorizationRequest.Builder base(int card, long now) {
        return AuthorizationRequest.newBuilder()
                .setTransactionId("sim-" + runId + "-" + sequence++)
                .setCardNumber(pan(card))
                .setAmount(0)
                .setTimestamp(now);
    }

    /** A card that is not being activated right now: new, or in use. */
    private int pickCard(SplittableRandom random, long now) {
        while (true) {
            int card = random.nextInt(CARDS);
            Long readyAt = activating.get(card);
            if (readyAt == null) {
                return card;
            }
            if (readyAt <= now) {
                activating.remove(card);
                return card;
            }
        }
    }

    private void schedule(long due, Attempt attempt) {
        scheduled.add(new Scheduled(due, sequence++, attempt));
    }

    /** A card's fixed traits (home city, typical spend, limit) come from its own random stream, so nothing is stored per card. */
    private static SplittableRandom profile(int card) {
        return new SplittableRandom(0x5eedL * 31 + card);
    }

    /** A 16-digit Luhn-valid card number, unique per card. */
    static String pan(int card) {
        String body = "4" + String.format("%014d", 10_000_000L + card);
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(body.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return body + (10 - sum % 10) % 10;
    }

    private static <T> void remember(ArrayDeque<T> recent, T item, int max) {
        recent.addLast(item);
        if (recent.size() > max) {
            recent.pollFirst();
        }
    }
}

package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.AttemptBucket;
import io.millrace.schemas.fraud.CardProfile;
import io.millrace.schemas.fraud.DecisionSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A card's habits as the features of its next authorization need them: attempts over the last day, the running
 * mean and deviation of approved amounts, the merchants and countries it has used, where it was last seen.
 * Only approvals teach the profile what is normal; every attempt counts for velocity.
 */
public final class CardHistory {

    /**
     * A card with little history is compared with a typical card as well: mean 50.00, deviation 100.00, worth two
     * transactions. So a first purchase of 2,000.00 stands out, and the card's own habits take over as they build up.
     */
    static final RunningStats TYPICAL_CARD = new RunningStats(2, 5_000, 100_000_000);
    static final int MAX_MERCHANTS = 50;
    static final int MAX_COUNTRIES = 20;
    static final int MAX_RECENT_DECISIONS = 10;

    /** The parts of an authorization that features are made of. */
    public record Purchase(String merchantId, String country, long amount, Double latitude, Double longitude, long at) {

        boolean located() {
            return latitude != null && longitude != null;
        }
    }

    private final String cardToken;
    private RunningStats amounts;
    private Velocity velocity;
    private Double lastLatitude;
    private Double lastLongitude;
    private Long lastLocatedAt;
    private final LinkedHashSet<String> merchants;
    private final LinkedHashSet<String> countries;
    private final List<DecisionSummary> recentDecisions;

    private CardHistory(String cardToken, CardProfile profile) {
        this.cardToken = cardToken;
        if (profile == null) {
            amounts = RunningStats.EMPTY;
            velocity = Velocity.empty();
            merchants = new LinkedHashSet<>();
            countries = new LinkedHashSet<>();
            recentDecisions = new ArrayList<>();
            return;
        }
        amounts = new RunningStats(profile.getApprovedCount(), profile.getMeanAmount(), profile.getSumSquaredDeviations());
        velocity = new Velocity(profile.getAttempts().stream().map(b -> new Velocity.Attempts(b.getAt(), b.getCount(), b.getAmount())).toList());
        lastLatitude = profile.getLastLatitude();
        lastLongitude = profile.getLastLongitude();
        lastLocatedAt = profile.getLastLocatedAt();
        merchants = new LinkedHashSet<>(profile.getKnownMerchants());
        countries = new LinkedHashSet<>(profile.getKnownCountries());
        recentDecisions = new ArrayList<>(profile.getRecentDecisions());
    }

    public static CardHistory of(String cardToken, CardProfile profileOrNull) {
        return new CardHistory(cardToken, profileOrNull);
    }

    /** The features of {@code purchase}, from the history before it. */
    public FraudFeatures features(Purchase purchase, double merchantRisk, String homeCountry) {
        RunningStats reference = amounts.count() >= TYPICAL_CARD.count() * 5 ? amounts : amounts.merge(TYPICAL_CARD);
        double travel = 0;
        if (purchase.located() && lastLocatedAt != null) {
            travel = Geo.travelSpeedKmh(lastLatitude, lastLongitude, lastLocatedAt, purchase.latitude(), purchase.longitude(), purchase.at());
        }
        boolean knowsWhereItIsUsed = homeCountry != null || !countries.isEmpty();
        boolean newCountry = knowsWhereItIsUsed && !purchase.country().equals(homeCountry) && !countries.contains(purchase.country());
        return new FraudFeatures(velocity.withAttempt(purchase.at(), purchase.amount()), reference.zScore(purchase.amount()),
                amounts.count(), !merchants.contains(purchase.merchantId()), newCountry, travel, merchantRisk);
    }

    public void recordAttempt(Purchase purchase) {
        velocity = velocity.record(purchase.at(), purchase.amount());
    }

    public void recordApproval(Purchase purchase) {
        amounts = amounts.add(purchase.amount());
        remember(merchants, purchase.merchantId(), MAX_MERCHANTS);
        remember(countries, purchase.country(), MAX_COUNTRIES);
        if (purchase.located() && (lastLocatedAt == null || purchase.at() >= lastLocatedAt)) {
            lastLatitude = purchase.latitude();
            lastLongitude = purchase.longitude();
            lastLocatedAt = purchase.at();
        }
    }

    public void recordDecision(DecisionSummary summary) {
        recentDecisions.add(0, summary);
        while (recentDecisions.size() > MAX_RECENT_DECISIONS) {
            recentDecisions.remove(recentDecisions.size() - 1);
        }
    }

    public CardProfile toProfile() {
        List<AttemptBucket> attempts = velocity.attempts().stream()
                .map(a -> new AttemptBucket(a.at(), a.count(), a.amount())).toList();
        return CardProfile.newBuilder()
                .setCardToken(cardToken)
                .setApprovedCount(amounts.count())
                .setMeanAmount(amounts.mean())
                .setSumSquaredDeviations(amounts.sumSquaredDeviations())
                .setAttempts(new ArrayList<>(attempts))
                .setLastLatitude(lastLatitude)
                .setLastLongitude(lastLongitude)
                .setLastLocatedAt(lastLocatedAt)
                .setKnownMerchants(new ArrayList<>(merchants))
                .setKnownCountries(new ArrayList<>(countries))
                .setRecentDecisions(new ArrayList<>(recentDecisions))
                .build();
    }

    // Most recent last; the oldest is forgotten first.
    private static void remember(LinkedHashSet<String> values, String value, int max) {
        values.remove(value);
        values.add(value);
        while (values.size() > max) {
            values.remove(values.iterator().next());
        }
    }
}

package io.millrace.api.fraud;

import io.millrace.schemas.fraud.AuthorizationDecision;
import io.millrace.schemas.fraud.CardProfile;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.DecisionSummary;
import io.millrace.topology.fraud.CreditLedger;
import io.millrace.topology.fraud.FraudQueries;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the fraud API. Cards appear only as token and masked last 4 digits. */
public final class FraudViews {

    static final int TOP_REASONS = 10;

    private FraudViews() {
    }

    /**
     * POST /api/fraud/authorize: an authorization as a web client sends it; amounts in minor units. A card number or a
     * card token; a transaction id is generated when none is given.
     */
    public record AuthorizeRequest(Optional<String> transactionId, Optional<String> cardNumber, Optional<String> cardToken,
                                   String merchantId, Optional<String> merchantCategory, Long amount, String currency, String country,
                                   Optional<Double> latitude, Optional<Double> longitude, Optional<Long> timestamp) {
    }

    /** One decision. */
    public record DecisionView(String transactionId, String cardToken, String card, String decision, List<String> reasons,
                               double score, long amount, String currency, String merchantId, long availableCreditAfter,
                               long requestedAt, long decidedAt) {

        static DecisionView of(AuthorizationDecision d) {
            return new DecisionView(d.getTransactionId(), d.getCardToken(), mask(d.getLast4()), d.getDecision().name(),
                    List.copyOf(d.getReasons()), d.getScore(), d.getAmount(), d.getCurrency(), d.getMerchantId(),
                    d.getAvailableCreditAfter(), d.getTimestamp(), d.getDecidedAt());
        }
    }

    /** A card: its credit and standing, and its latest decisions (newest first). */
    public record CardView(String cardToken, String card, String status, String homeCountry, long creditLimit, long held,
                           long posted, long availableCredit, long approvedTransactions, List<RecentDecision> recentDecisions) {

        static CardView of(FraudQueries.CardState state) {
            CreditAccount a = state.account();
            long available = new CreditLedger.Balance(a.getCreditLimit(), a.getHeld(), a.getPosted()).available();
            List<RecentDecision> recent = state.profile().map(CardProfile::getRecentDecisions).orElse(List.of()).stream()
                    .map(RecentDecision::of).toList();
            return new CardView(a.getCardToken(), mask(a.getLast4()), a.getStatus().name(), a.getHomeCountry(), a.getCreditLimit(),
                    a.getHeld(), a.getPosted(), available, state.profile().map(CardProfile::getApprovedCount).orElse(0L), recent);
        }
    }

    /** A past decision as a card shows it. */
    public record RecentDecision(String transactionId, String decision, List<String> reasons, double score, long amount,
                                 String currency, String merchantId, String country, long requestedAt) {

        static RecentDecision of(DecisionSummary s) {
            return new RecentDecision(s.getTransactionId(), s.getDecision().name(), List.copyOf(s.getReasons()), s.getScore(),
                    s.getAmount(), s.getCurrency(), s.getMerchantId(), s.getCountry(), s.getTimestamp());
        }
    }

    /** One instance's counts for a statistics window, before merging. */
    public record StatsPart(long approvals, long declines, long reviews, Map<String, Long> reasons) {

        static StatsPart of(FraudQueries.Tally tally) {
            return new StatsPart(tally.approvals(), tally.declines(), tally.reviews(), tally.reasons());
        }
    }

    /** GET /api/fraud/stats: decisions over the window, all instances together. */
    public record Stats(String window, long from, long to, long total, long approvals, long declines, long reviews,
                        double declineRate, List<ReasonCount> topReasons) {

        static Stats merge(String window, long from, long to, List<StatsPart> parts) {
            long approvals = parts.stream().mapToLong(StatsPart::approvals).sum();
            long declines = parts.stream().mapToLong(StatsPart::declines).sum();
            long reviews = parts.stream().mapToLong(StatsPart::reviews).sum();
            Map<String, Long> reasons = new java.util.HashMap<>();
            parts.forEach(p -> p.reasons().forEach((reason, count) -> reasons.merge(reason, count, Long::sum)));
            List<ReasonCount> top = reasons.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_REASONS).map(e -> new ReasonCount(e.getKey(), e.getValue())).toList();
            long total = approvals + declines + reviews;
            return new Stats(window, from, to, total, approvals, declines, reviews, total == 0 ? 0 : (double) declines / total, top);
        }
    }

    /** GET /api/fraud/stats/series: decisions per step, oldest first, all instances together. */
    public record Series(String window, String step, long from, long to, List<FraudQueries.Step> steps) {

        static Series merge(String window, String step, long from, long to, List<List<FraudQueries.Step>> parts) {
            Map<Long, long[]> sums = new java.util.TreeMap<>();
            parts.forEach(part -> part.forEach(s -> {
                long[] sum = sums.computeIfAbsent(s.start(), start -> new long[3]);
                sum[0] += s.approvals();
                sum[1] += s.declines();
                sum[2] += s.reviews();
            }));
            return new Series(window, step, from, to, sums.entrySet().stream()
                    .map(e -> new FraudQueries.Step(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])).toList());
        }
    }

    /** GET /api/fraud/stats/series as merged from every instance. */
    public record SeriesAnswer(String status, List<String> failedHosts, Series result) {
    }

    /** How often a reason was given. */
    public record ReasonCount(String reason, long count) {
    }

    static String mask(String last4) {
        return last4 == null ? null : "**** " + last4;
    }
}

package io.millrace.topology.fraud;

/**
 * What the scorer knows of one authorization: the card's velocity including this attempt, how unusual the
 * amount is for the card, whether merchant and country are new to it, how fast the cardholder would have
 * travelled since the last card-present use, and the merchant's risk.
 *
 * @param history approved transactions behind the card's profile; "new merchant" means little below a few
 * @param travelSpeedKmh 0 when there is nothing to compare (no location now or before, or the same place)
 */
public record FraudFeatures(
        Velocity.Windows velocity,
        double amountZScore,
        long history,
        boolean newMerchant,
        boolean newCountry,
        double travelSpeedKmh,
        double merchantRisk) {
}

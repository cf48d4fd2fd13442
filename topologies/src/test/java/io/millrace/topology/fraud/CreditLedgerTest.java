package io.millrace.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.topology.fraud.CreditLedger.Applied;
import io.millrace.topology.fraud.CreditLedger.Balance;
import io.millrace.topology.fraud.CreditLedger.Entry;
import io.millrace.topology.fraud.CreditLedger.Refused;
import org.junit.jupiter.api.Test;

class CreditLedgerTest {

    private static final long AT = 1_772_445_600_000L;

    @Test
    void anApprovalReservesItsAmount() {
        Balance balance = CreditLedger.reserve(new Balance(100_000, 10_000, 5_000), 20_000);

        assertThat(balance).isEqualTo(new Balance(100_000, 30_000, 5_000));
        assertThat(balance.available()).isEqualTo(65_000);
    }

    @Test
    void neverReservesMoreThanIsAvailable() {
        assertThatThrownBy(() -> CreditLedger.reserve(new Balance(100_000, 90_000, 0), 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Balance(50_000, 40_000, 30_000).available()).as("a lowered limit leaves nothing, not a debt").isZero();
    }

    @Test
    void aSettlementClosesTheHoldAndPostsWhatWasCaptured() {
        Applied settled = (Applied) CreditLedger.settle(new Balance(100_000, 30_000, 0), Entry.hold(30_000), 25_000, AT);

        assertThat(settled.balance()).isEqualTo(new Balance(100_000, 0, 25_000));
        assertThat(settled.entry().settledAt()).isEqualTo(AT);
        assertThat(CreditLedger.settle(settled.balance(), settled.entry(), 25_000, AT + 1))
                .isEqualTo(new Refused(CreditLedger.ALREADY_SETTLED, "The transaction was settled before"));
        assertThat(CreditLedger.settle(new Balance(100_000, 30_000, 0), Entry.hold(30_000), 30_001, AT))
                .isInstanceOf(Refused.class);
    }

    @Test
    void aZeroSettlementReversesTheHold() {
        Applied reversed = (Applied) CreditLedger.settle(new Balance(100_000, 30_000, 0), Entry.hold(30_000), 0, AT);

        assertThat(reversed.balance().available()).isEqualTo(100_000);
    }

    @Test
    void refundsRestoreCreditOncePerRefundIdAndNoMoreThanWasSettled() {
        Applied settled = (Applied) CreditLedger.settle(new Balance(100_000, 30_000, 0), Entry.hold(30_000), 30_000, AT);

        Applied first = (Applied) CreditLedger.refund(settled.balance(), settled.entry(), "rf-1", 10_000);
        CreditLedger.Change again = CreditLedger.refund(first.balance(), first.entry(), "rf-1", 10_000);
        CreditLedger.Change tooMuch = CreditLedger.refund(first.balance(), first.entry(), "rf-2", 20_001);

        assertThat(first.balance()).isEqualTo(new Balance(100_000, 0, 20_000));
        assertThat(again).isInstanceOf(Refused.class).extracting(c -> ((Refused) c).code()).isEqualTo(CreditLedger.DUPLICATE_REFUND);
        assertThat(((Refused) tooMuch).code()).isEqualTo(CreditLedger.EXCEEDS_SETTLED);
        assertThat(((Refused) CreditLedger.refund(new Balance(100_000, 30_000, 0), Entry.hold(30_000), "rf-1", 1_000)).code())
                .isEqualTo(CreditLedger.NOT_SETTLED);
    }
}

package io.millrace.topology.fraud;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.fraud.CardStatus;
import io.millrace.schemas.fraud.CreditAccount;
import io.millrace.schemas.fraud.TokenizedCardUpdate;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Applies the issuer's card updates to the ledger: a first update opens the card's account; absent fields stay as they are. */
final class CardUpdateApplier implements Processor<String, TokenizedCardUpdate, String, Rejected> {

    private final Rejections rejections;
    private ProcessorContext<String, Rejected> context;
    private KeyValueStore<String, CreditAccount> ledger;

    CardUpdateApplier(Rejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Rejected> context) {
        this.context = context;
        this.ledger = context.getStateStore(FraudStores.CREDIT_LEDGER);
    }

    @Override
    public void process(Record<String, TokenizedCardUpdate> record) {
        TokenizedCardUpdate update = record.value();
        long now = context.currentSystemTimeMs();
        Optional<Violation> violation = EventRules.cardUpdate(update.getCardSource(), update.getCreditLimit(),
                update.getHomeCountry(), update.getTimestamp(), now);
        if (violation.isPresent()) {
            context.forward(record.withValue(rejections.reject(violation.get(), FraudTopics.TOKENIZED_CARD_UPDATES, update, context)));
            return;
        }
        String token = update.getCardToken();
        CreditAccount account = ledger.get(token);
        CreditAccount.Builder next = account != null ? CreditAccount.newBuilder(account)
                : CreditAccount.newBuilder().setCardToken(token).setCreditLimit(0).setHeld(0).setPosted(0).setStatus(CardStatus.ACTIVE);
        if (update.getCreditLimit() != null) {
            next.setCreditLimit(update.getCreditLimit());
        }
        if (update.getStatus() != null) {
            next.setStatus(update.getStatus());
        }
        if (update.getHomeCountry() != null) {
            next.setHomeCountry(update.getHomeCountry());
        }
        if (update.getLast4() != null) {
            next.setLast4(update.getLast4());
        }
        ledger.put(token, next.setUpdatedAt(now).build());
    }
}

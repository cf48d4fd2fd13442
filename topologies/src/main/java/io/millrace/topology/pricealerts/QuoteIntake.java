package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.PriceQuote;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Takes each quote of a partition of search keys onto the price board, once it passed its rules and its currency has a
 * rate; and every second (wall clock) takes off the quotes whose time is up, from the expiry index, not by a scan.
 */
final class QuoteIntake implements Processor<String, PriceQuote, String, BoardOutput> {

    private final PricealertsConfig config;
    private final Rejections rejections;
    private final String eventType;
    private ProcessorContext<String, BoardOutput> context;
    private FxStore rates;
    private PriceBoard board;

    QuoteIntake(PricealertsConfig config, Rejections rejections, String eventType) {
        this.config = config;
        this.rejections = rejections;
        this.eventType = eventType;
    }

    @Override
    public void init(ProcessorContext<String, BoardOutput> context) {
        this.context = context;
        this.rates = new FxStore(context);
        this.board = new PriceBoard(context, rates, config);
        context.schedule(config.expiryCheck(), PunctuationType.WALL_CLOCK_TIME, board::expireDue);
    }

    @Override
    public void process(Record<String, PriceQuote> record) {
        PriceQuote quote = record.value();
        if (quote == null) {
            // Checked here rather than by a screening step: this is the hot path, and every step costs each quote.
            context.forward(record.withValue(BoardOutput.rejected(rejections.rejectMissingValue(PricealertsTopics.QUOTES, eventType,
                    context))));
            return;
        }
        Optional<Violation> violation = QuoteRules.check(record.key(), quote, context.currentSystemTimeMs());
        OptionalLong usd = violation.isPresent() ? OptionalLong.empty() : Money.toUsd(quote.getPriceMinor(), quote.getCurrency(), rates);
        if (violation.isEmpty() && usd.isEmpty()) {
            violation = Violation.of(QuoteRules.NO_FX_RATE, "no exchange rate for " + quote.getCurrency() + " on "
                    + PricealertsTopics.FX_RATES + " yet");
        }
        if (violation.isPresent()) {
            context.forward(record.withValue(BoardOutput.rejected(rejections.reject(violation.get(), quote, context))));
            return;
        }
        board.quote(quote, usd.getAsLong(), record.timestamp());
    }
}

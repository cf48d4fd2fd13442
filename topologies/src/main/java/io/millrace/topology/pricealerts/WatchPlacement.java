package io.millrace.topology.pricealerts;

import io.millrace.schemas.pricealerts.WatchChange;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Files watches on the price board of the partition of what they watch, or takes them off it. */
final class WatchPlacement implements Processor<String, WatchChange, String, BoardOutput> {

    private final PricealertsConfig config;
    private PriceBoard board;

    WatchPlacement(PricealertsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, BoardOutput> context) {
        this.board = new PriceBoard(context, new FxStore(context), config);
    }

    @Override
    public void process(Record<String, WatchChange> record) {
        board.place(record.value().getWatch(), record.value().getRemoved(), record.timestamp());
    }
}

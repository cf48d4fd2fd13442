package io.millrace.topology.runtime;

import io.millrace.topology.runtime.PoisonRecords.Coordinates;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Wraps every processor of a pipeline (Kafka Streams' {@code processor.wrapper.class}): while a processor works on
 * a record, the stream thread knows which record it is, so a thread that dies can name its killer; and a record
 * marked as poison is refused with a {@link PoisonRecords.PoisonRecordException}, which the processing handler
 * sends to the dead-letter topic, instead of being processed again.
 */
public final class ProcessorGuard implements ProcessorWrapper {

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
            String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return new WrappedProcessorSupplier<>() {
            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }

            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                return new Guarded<>(supplier.get());
            }
        };
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
            String name, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return new WrappedFixedKeyProcessorSupplier<>() {
            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }

            @Override
            public FixedKeyProcessor<KIn, VIn, VOut> get() {
                return new GuardedFixedKey<>(supplier.get());
            }
        };
    }

    /**
     * Refuses a poison record, or names it as the record this thread is processing; returns what was named before
     * (an upstream processor of the same record), to be restored when this processor returns.
     */
    private static Coordinates admit(PoisonRecords poison, Optional<RecordMetadata> metadata) {
        Coordinates before = PoisonRecords.processing().orElse(null);
        // Punctuations have no source record: nothing to name.
        if (metadata.isEmpty() || metadata.get().topic() == null) {
            return before;
        }
        RecordMetadata m = metadata.get();
        Coordinates record = new Coordinates(m.topic(), m.partition(), m.offset());
        Optional<String> failure = poison.failureOf(record);
        if (failure.isPresent()) {
            poison.skipped();
            throw new PoisonRecords.PoisonRecordException(record, failure.get());
        }
        PoisonRecords.enter(record);
        return before;
    }

    private static final class Guarded<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
        private final Processor<KIn, VIn, KOut, VOut> inner;
        private ProcessorContext<KOut, VOut> context;
        private PoisonRecords poison;

        Guarded(Processor<KIn, VIn, KOut, VOut> inner) {
            this.inner = inner;
        }

        @Override
        public void init(ProcessorContext<KOut, VOut> context) {
            this.context = context;
            this.poison = PoisonRecords.from(context.appConfigs());
            inner.init(context);
        }

        @Override
        public void process(Record<KIn, VIn> record) {
            Coordinates before = admit(poison, context.recordMetadata());
            inner.process(record);
            // Only a normal return clears the name: a record that escapes with an Error stays named for the handler.
            PoisonRecords.restore(before);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private static final class GuardedFixedKey<KIn, VIn, VOut> implements FixedKeyProcessor<KIn, VIn, VOut> {
        private final FixedKeyProcessor<KIn, VIn, VOut> inner;
        private FixedKeyProcessorContext<KIn, VOut> context;
        private PoisonRecords poison;

        GuardedFixedKey(FixedKeyProcessor<KIn, VIn, VOut> inner) {
            this.inner = inner;
        }

        @Override
        public void init(FixedKeyProcessorContext<KIn, VOut> context) {
            this.context = context;
            this.poison = PoisonRecords.from(context.appConfigs());
            inner.init(context);
        }

        @Override
        public void process(FixedKeyRecord<KIn, VIn> record) {
            Coordinates before = admit(poison, context.recordMetadata());
            inner.process(record);
            PoisonRecords.restore(before);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}

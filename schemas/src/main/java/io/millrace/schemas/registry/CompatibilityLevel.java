package io.millrace.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** Which earlier versions a new schema must stay compatible with, and in which direction (Confluent semantics). */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Parses a level name in any case; 42203 when it is not one. */
    public static CompatibilityLevel parse(String level) {
        if (level == null) {
            throw SchemaRegistryException.invalidCompatibilityLevel();
        }
        try {
            return valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SchemaRegistryException.invalidCompatibilityLevel();
        }
    }

    /** Why {@code candidate} may not follow {@code previous} (oldest first); empty when it may. */
    public List<String> incompatibilities(Schema candidate, List<Schema> previous) {
        List<Schema> checked = transitive || previous.isEmpty() ? previous : previous.subList(previous.size() - 1, previous.size());
        List<String> problems = new ArrayList<>();
        for (Schema old : checked) {
            if (newReadsOld) {
                problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old)));
            }
            if (oldReadsNew) {
                problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate)));
            }
        }
        return problems;
    }

    public boolean isCompatible(Schema candidate, List<Schema> previous) {
        return incompatibilities(candidate, previous).isEmpty();
    }

    private List<String> describe(SchemaCompatibility.SchemaPairCompatibility pair) {
        List<String> problems = new ArrayList<>();
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            problems.add(incompatibility.getType() + " at '" + incompatibility.getLocation() + "': "
                    + incompatibility.getMessage() + " (compatibility: " + this + ")");
        }
        return problems;
    }
}

package io.millrace.schemas.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

    // ASCII-only case folding: Confluent upper-cases the name it is given, and nothing beyond letter case may vary.
    private static final Pattern NAME = Pattern.compile(
            Arrays.stream(values()).map(Enum::name).collect(Collectors.joining("|")), Pattern.CASE_INSENSITIVE);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /**
     * Parses a level as Confluent's {@code CompatibilityLevel.forName} does, in any letter case ("backward" is
     * BACKWARD); anything else, a name with surrounding spaces included, is 42203.
     */
    public static CompatibilityLevel parse(String level) {
        if (level == null || !NAME.matcher(level).matches()) {
            throw SchemaRegistryException.invalidCompatibilityLevel(level);
        }
        return valueOf(level.toUpperCase(Locale.ROOT));
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

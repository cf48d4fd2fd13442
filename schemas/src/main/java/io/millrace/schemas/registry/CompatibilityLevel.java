package io.millrace.schemas.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
            Arrays.stream(values()).map(Enum::name).collect(Collectors.joining("|")));

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /**
     * Parses a level written exactly as Confluent names it (BACKWARD, FULL_TRANSITIVE, NONE ...); anything else, a
     * name in lower case or with surrounding spaces included, is 42203. Confluent's own server upper-cases what it
     * is sent; this registry is stricter, so that a typo never becomes a level, and Confluent's clients send the
     * names as written here.
     */
    public static CompatibilityLevel parse(String level) {
        if (level == null || !NAME.matcher(level).matches()) {
            throw SchemaRegistryException.invalidCompatibilityLevel(level);
        }
        return valueOf(level);
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

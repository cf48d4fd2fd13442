package io.millrace.topology.runtime;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The documented limits of every id and name the platform accepts, applied by the HTTP layer before it publishes
 * and by each pipeline's rules on what arrives from Kafka, so nothing oversized or ambiguous reaches a topic,
 * a store key or a URL.
 *
 * <ul>
 *   <li>An <b>id</b> (user, group, message, transaction, merchant, refund, service): 1 to {@value #MAX_ID_LENGTH}
 *       characters from {@code A-Z a-z 0-9 . _ - : @}, starting with a letter or a digit.</li>
 *   <li>A <b>label</b> (an endpoint, a region, a category): 1 to {@value #MAX_LABEL_LENGTH} characters, no control
 *       or invisible formatting characters (such as a right-to-left override), no {@code '|'}, not blank.</li>
 * </ul>
 */
public final class Identifiers {

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_LABEL_LENGTH = 200;
    public static final String INVALID_ID = "INVALID_ID";
    public static final String INVALID_NAME = "INVALID_NAME";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0," + (MAX_ID_LENGTH - 1) + "}");

    private Identifiers() {
    }

    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** A violation unless {@code value} is an id; {@code field} names it in the reason. */
    public static Optional<Violation> id(String field, String value) {
        if (value == null || value.isEmpty()) {
            return Violation.of(INVALID_ID, field + " is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            return Violation.of(INVALID_ID, field + " must be at most " + MAX_ID_LENGTH + " characters, was " + value.length());
        }
        if (!isId(value)) {
            return Violation.of(INVALID_ID, field + " may hold only letters, digits and . _ - : @, starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** A violation unless {@code value} is a label; {@code field} names it in the reason. */
    public static Optional<Violation> label(String field, String value) {
        if (value == null || value.isBlank()) {
            return Violation.of(INVALID_NAME, field + " must not be blank");
        }
        if (value.length() > MAX_LABEL_LENGTH) {
            return Violation.of(INVALID_NAME, field + " must be at most " + MAX_LABEL_LENGTH + " characters, was " + value.length());
        }
        if (value.indexOf('|') >= 0 || value.codePoints().anyMatch(Identifiers::invisible)) {
            return Violation.of(INVALID_NAME, field + " must not contain '|', control or invisible formatting characters");
        }
        return Optional.empty();
    }

    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}

package io.millrace.schemas.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.NameValidator;
import org.apache.avro.Schema;

/**
 * What the registry accepts as an Avro schema: a new one meets Confluent's rules for new schemas (strict names,
 * valid defaults) and Avro's own (valid logical types, unions with at least one branch); every refusal is 42201
 * with the reason in words.
 */
final class AvroSchemaRules {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PRIMITIVES = Set.of("null", "boolean", "int", "long", "float", "double", "bytes", "string");
    // Avro words some failures as another exception's toString(): the class names are dropped, the words kept.
    private static final Pattern EXCEPTION_CLASS = Pattern.compile("(?:[A-Za-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error):?\\s*");
    // Jackson describes where it read from ("[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 9]").
    private static final Pattern JSON_SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)]");
    // Enum.valueOf, e.g. for a field "order": "No enum constant org.apache.avro.Schema.Field.Order.SIDEWAYS".
    private static final Pattern ENUM_CONSTANT = Pattern.compile("No enum constant (?:[\\w$]+\\.)*([\\w$]+)\\.(\\w+)");
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(?:java|javax|jdk|sun|com\\.fasterxml|org\\.apache|org\\.codehaus)\\.[\\w$]");
    private static final String NOT_AVRO = "it is not a valid Avro schema";

    private AvroSchemaRules() {
    }

    /** A schema offered for registration or a compatibility test. */
    static Schema parseNew(String json) {
        Schema schema = parse(json, new Schema.Parser(NameValidator.STRICT_VALIDATOR).setValidateDefaults(true));
        requireValid(schema, "the top level", Collections.newSetFromMap(new IdentityHashMap<>()));
        return schema;
    }

    /** A schema to look up: one registered before these rules must still be found, so only Avro's parser judges it. */
    static Schema parseForLookup(String json) {
        return parse(json, new Schema.Parser());
    }

    private static Schema parse(String json, Schema.Parser parser) {
        JsonNode tree = readJson(json);
        // Avro fails on an unknown bare name with a NullPointerException: worth saying what is wrong instead.
        if (tree.isTextual() && !PRIMITIVES.contains(tree.asText())) {
            throw invalid("'" + tree.asText() + "' is not a primitive type, and a schema that is only a name must be one");
        }
        try {
            return parser.parse(json);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            throw invalid(inWords(e.getMessage()));
        } catch (RuntimeException e) {
            // Avro trips over some malformed input ("order": 5) with a NullPointerException about its internals:
            // the input is still the client's, so still a 422 and not a server error.
            throw invalid(NOT_AVRO);
        }
    }

    private static JsonNode readJson(String json) {
        if (json == null || json.isBlank()) {
            throw invalid("the schema is empty");
        }
        try (JsonParser parser = JSON.createParser(json)) {
            JsonNode tree = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw invalid("there is more text after the end of the schema" + at(parser.currentTokenLocation()));
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw invalid("the schema is not valid JSON: " + inWords(e.getOriginalMessage()) + at(e.getLocation()));
        } catch (IOException e) {
            throw invalid("the schema could not be read as JSON");
        }
    }

    private static void requireValid(Schema schema, String where, Set<Schema> checked) {
        if (!checked.add(schema)) {
            return;
        }
        String logicalType = schema.getProp(LogicalType.LOGICAL_TYPE_PROP);
        if (logicalType != null) {
            // The parser drops an invalid logical type silently, and the data would then be read as the bare type.
            try {
                LogicalTypes.fromSchema(schema);
            } catch (IllegalArgumentException e) {
                throw invalid("logical type '" + logicalType + "' at " + where + " is not valid: " + inWords(e.getMessage()));
            }
        }
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(field ->
                    requireValid(field.schema(), "field '" + field.name() + "' of record " + schema.getFullName(), checked));
            case ARRAY -> requireValid(schema.getElementType(), "the items of " + where, checked);
            case MAP -> requireValid(schema.getValueType(), "the values of " + where, checked);
            case UNION -> {
                if (schema.getTypes().isEmpty()) {
                    throw invalid("the union at " + where + " is empty; a union needs at least one branch");
                }
                schema.getTypes().forEach(branch -> requireValid(branch, "a branch of the union at " + where, checked));
            }
            default -> {
            }
        }
    }

    /** A third-party failure message with the Java in it taken out; a message that is nothing but Java says only "not valid". */
    static String inWords(String message) {
        if (message == null) {
            return NOT_AVRO;
        }
        String words = EXCEPTION_CLASS.matcher(message).replaceAll("");
        words = ENUM_CONSTANT.matcher(words).replaceAll(constant -> Matcher.quoteReplacement(
                "'" + constant.group(2) + "' is not a valid " + constant.group(1).toLowerCase(Locale.ROOT)));
        words = JSON_SOURCE.matcher(words).replaceAll("line $1, column $2").trim();
        return words.isEmpty() || JAVA_NAME.matcher(words).find() ? NOT_AVRO : words;
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static SchemaRegistryException invalid(String reason) {
        return SchemaRegistryException.invalidSchema(reason);
    }
}

package io.millrace.schemas.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The JSON bodies of Confluent's REST calls, read as Confluent reads them (unknown fields ignored) except that
 * what this registry cannot honour, such as schema references, is refused instead of silently dropped.
 */
public final class RegistryRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryRequests() {
    }

    /** The schema text of a register, lookup or compatibility body: {@code {"schema": "...", "schemaType": "AVRO"}}. */
    public static String schemaOf(String body) {
        JsonNode request = object(body, "{\"schema\": \"...\"}");
        JsonNode type = request.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw SchemaRegistryException.invalidSchema("only AVRO schemas are supported here, not " + type);
        }
        JsonNode references = request.get("references");
        if (references != null && !references.isNull() && !(references.isArray() && references.isEmpty())) {
            throw SchemaRegistryException.invalidSchema("schema references are not supported by this registry;"
                    + " define the referenced types inside the schema itself");
        }
        JsonNode schema = request.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw SchemaRegistryException.invalidSchema("the body must have a \"schema\" string");
        }
        return schema.asText();
    }

    /** The level of a config body, {@code {"compatibility": "BACKWARD"}}, as given: {@link CompatibilityLevel#parse} judges it. */
    public static String compatibilityOf(String body) {
        JsonNode level = object(body, "{\"compatibility\": \"BACKWARD\"}").get("compatibility");
        if (level == null || !level.isTextual()) {
            throw SchemaRegistryException.invalidCompatibilityLevel(null);
        }
        return level.asText();
    }

    private static JsonNode object(String body, String example) {
        JsonNode request;
        try (JsonParser parser = JSON.createParser(body == null ? "" : body)) {
            request = JSON.readTree(parser);
            if (request != null && parser.nextToken() != null) {
                throw SchemaRegistryException.badRequest("The body has more text after its JSON object; send JSON like " + example);
            }
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw SchemaRegistryException.badRequest("The body is not valid JSON"
                    + (where == null ? "" : " (at line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
                    + "; send JSON like " + example);
        } catch (IOException e) {
            throw SchemaRegistryException.badRequest("The body could not be read; send JSON like " + example);
        }
        if (request == null || !request.isObject()) {
            throw SchemaRegistryException.badRequest("The body must be a JSON object like " + example);
        }
        return request;
    }
}

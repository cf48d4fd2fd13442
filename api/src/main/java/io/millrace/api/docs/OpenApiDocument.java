package io.millrace.api.docs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds the OpenAPI 3.1 document from the registered routes. Response and request types are turned
 * into JSON Schema from what they are: Java records by their components, Avro records by their schemas.
 */
public final class OpenApiDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private static final String BEARER = "bearerAuth";
    private static final String SESSION = "sessionCookie";
    private static final String BASIC = "basicAuth";

    private final Map<String, ObjectNode> components = new TreeMap<>();

    private OpenApiDocument() {
    }

    public static ObjectNode build(String title, String version, String description, List<ApiRoutes.Operation> operations) {
        return new OpenApiDocument().document(title, version, description, operations);
    }

    private ObjectNode document(String title, String version, String description, List<ApiRoutes.Operation> operations) {
        ObjectNode root = NODES.objectNode();
        root.put("openapi", "3.1.0");
        root.putObject("info").put("title", title).put("version", version).put("description", description);
        ObjectNode paths = root.putObject("paths");
        for (ApiRoutes.Operation operation : operations) {
            ObjectNode path = paths.has(operation.path()) ? (ObjectNode) paths.get(operation.path()) : paths.putObject(operation.path());
            path.set(operation.method(), operation(operation));
        }
        ObjectNode componentsNode = root.putObject("components");
        ObjectNode schemes = componentsNode.putObject("securitySchemes");
        schemes.putObject(BEARER).put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
                .put("description", "A token from `millrace token --user <id> [--role operator|service]` (HS256 JWT: sub, role, exp)");
        schemes.putObject(SESSION).put("type", "apiKey").put("in", "cookie").put("name", "millrace_session")
                .put("description", "The dashboard's session, set by GET /login?token=<token>");
        schemes.putObject(BASIC).put("type", "http").put("scheme", "basic")
                .put("description", "Any user name and a token as the password, as Confluent's clients send basic.auth.user.info");
        ObjectNode schemas = componentsNode.putObject("schemas");
        schemas.set("Error", schemaOf(io.millrace.api.ApiException.Body.class));
        components.forEach(schemas::set);
        return root;
    }

    private ObjectNode operation(ApiRoutes.Operation operation) {
        Doc doc = operation.doc();
        ObjectNode node = NODES.objectNode();
        node.put("summary", doc.summary);
        node.put("description", "Who may call it: " + doc.access().describe() + ".");
        node.putArray("tags").add(doc.tag);
        ArrayNode roles = node.putArray("x-millrace-roles");
        doc.access().roles().stream().sorted().forEach(role -> roles.add(role.claim()));
        ArrayNode security = node.putArray("security");
        if (doc.access().isOpen()) {
            security.addObject();
        } else {
            security.addObject().putArray(BEARER);
            security.addObject().putArray(SESSION);
            if (operation.path().startsWith("/registry")) {
                security.addObject().putArray(BASIC);
            }
        }
        node.put("operationId", operation.method() + operation.path().replaceAll("[^A-Za-z0-9]+", "_"));
        ArrayNode parameters = node.putArray("parameters");
        Matcher matcher = PATH_PARAM.matcher(operation.path());
        while (matcher.find()) {
            String name = matcher.group(1);
            Doc.Param param = doc.pathParams.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElse(new Doc.Param(name, "string", null, true, null));
            parameters.add(parameter(param, "path"));
        }
        doc.queryParams.forEach(param -> parameters.add(parameter(param, "query")));
        List<Integer> errorStatuses = new ArrayList<>(doc.errorStatuses);
        if (!doc.access().isOpen()) {
            errorStatuses.addAll(List.of(401, 403));
        }
        if (doc.requestBody != null) {
            node.putObject("requestBody").put("required", true).putObject("content")
                    .putObject("application/json").set("schema", schemaOf(doc.requestBody));
            errorStatuses.addAll(List.of(413, 415));
        }
        ObjectNode responses = node.putObject("responses");
        ObjectNode success = responses.putObject(String.valueOf(doc.successStatus));
        success.put("description", "OK");
        if (doc.response != null) {
            ObjectNode schema = schemaOf(doc.response);
            if (doc.responseIsList) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", schema);
                schema = array;
            }
            success.putObject("content").putObject("application/json").set("schema", schema);
        }
        if (doc.eventStream) {
            success.put("description", "A stream of server-sent events: id (the position to resume from), event (its type), "
                    + "data (JSON); resume with Last-Event-ID or ?since=");
            success.putObject("content").putObject("text/event-stream").putObject("schema").put("type", "string");
            node.put("x-millrace-websocket", doc.webSocketPath);
        }
        for (int status : new TreeSet<>(errorStatuses)) {
            responses.putObject(String.valueOf(status)).put("description", "Error")
                    .putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
        }
        return node;
    }

    private static ObjectNode parameter(Doc.Param param, String in) {
        ObjectNode parameter = NODES.objectNode().put("name", param.name()).put("in", in).put("required", param.required());
        if (param.description() != null) {
            parameter.put("description", param.description());
        }
        parameter.putObject("schema").put("type", param.type());
        if (param.example() != null) {
            parameter.put("example", param.example());
        }
        return parameter;
    }

    ObjectNode schemaOf(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", schemaOf(args[0]));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode object = NODES.objectNode().put("type", "object");
                object.set("additionalProperties", schemaOf(args[1]));
                return object;
            }
            if (Optional.class.equals(raw)) {
                return schemaOf(args[0]);
            }
            return schemaOf(raw);
        }
        Class<?> type1 = (Class<?>) type;
        if (type1 == String.class || type1 == char.class) {
            return NODES.objectNode().put("type", "string");
        }
        if (type1 == boolean.class || type1 == Boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (type1 == int.class || type1 == Integer.class || type1 == long.class || type1 == Long.class) {
            return NODES.objectNode().put("type", "integer");
        }
        if (Number.class.isAssignableFrom(type1) || type1 == double.class || type1 == float.class) {
            return NODES.objectNode().put("type", "number");
        }
        if (type1.isEnum()) {
            ObjectNode node = NODES.objectNode().put("type", "string");
            ArrayNode values = node.putArray("enum");
            for (Object constant : type1.getEnumConstants()) {
                values.add(constant.toString());
            }
            return node;
        }
        if (SpecificRecord.class.isAssignableFrom(type1)) {
            return reference(type1.getSimpleName(), () -> avroSchema(avroSchemaOf(type1)));
        }
        if (type1.isRecord()) {
            return reference(type1.getSimpleName(), () -> {
                ObjectNode node = NODES.objectNode().put("type", "object");
                ObjectNode properties = node.putObject("properties");
                ArrayNode required = node.putArray("required");
                for (RecordComponent component : type1.getRecordComponents()) {
                    properties.set(component.getName(), schemaOf(component.getGenericType()));
                    if (!Optional.class.equals(component.getType())) {
                        required.add(component.getName());
                    }
                }
                return node;
            });
        }
        return NODES.objectNode().put("type", "object");
    }

    private ObjectNode reference(String name, java.util.function.Supplier<ObjectNode> definition) {
        if (!components.containsKey(name)) {
            components.put(name, NODES.objectNode());
            components.put(name, definition.get());
        }
        return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode avroSchema(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> reference(schema.getName(), () -> {
                ObjectNode node = NODES.objectNode().put("type", "object");
                if (schema.getDoc() != null) {
                    node.put("description", schema.getDoc());
                }
                ObjectNode properties = node.putObject("properties");
                ArrayNode required = node.putArray("required");
                for (Schema.Field field : schema.getFields()) {
                    ObjectNode property = avroSchema(field.schema());
                    if (field.doc() != null && !property.has("$ref")) {
                        property.put("description", field.doc());
                    }
                    properties.set(field.name(), property);
                    if (!field.hasDefaultValue()) {
                        required.add(field.name());
                    }
                }
                return node;
            });
            case ENUM -> {
                ObjectNode node = NODES.objectNode().put("type", "string");
                ArrayNode values = node.putArray("enum");
                schema.getEnumSymbols().forEach(values::add);
                yield node;
            }
            case ARRAY -> {
                ObjectNode node = NODES.objectNode().put("type", "array");
                node.set("items", avroSchema(schema.getElementType()));
                yield node;
            }
            case MAP -> {
                ObjectNode node = NODES.objectNode().put("type", "object");
                node.set("additionalProperties", avroSchema(schema.getValueType()));
                yield node;
            }
            case UNION -> {
                ObjectNode node = NODES.objectNode();
                ArrayNode anyOf = node.putArray("anyOf");
                schema.getTypes().forEach(t -> anyOf.add(avroSchema(t)));
                yield node;
            }
            case STRING -> NODES.objectNode().put("type", "string");
            case BYTES, FIXED -> NODES.objectNode().put("type", "string").put("contentEncoding", "base64");
            case INT, LONG -> NODES.objectNode().put("type", "integer");
            case FLOAT, DOUBLE -> NODES.objectNode().put("type", "number");
            case BOOLEAN -> NODES.objectNode().put("type", "boolean");
            case NULL -> NODES.objectNode().put("type", "null");
        };
    }

    private static Schema avroSchemaOf(Class<?> type) {
        try {
            Field field = type.getField("SCHEMA$");
            return (Schema) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type + " is not a generated Avro record", e);
        }
    }
}

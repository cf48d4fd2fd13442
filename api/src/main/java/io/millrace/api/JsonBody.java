package io.millrace.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import io.millrace.topology.runtime.Identifiers;
import io.millrace.topology.runtime.Violation;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a request's body into its request record: one JSON object in UTF-8 and nothing after it, every field of
 * the type it declares. What is wrong is said in words, naming the field, never a Java type.
 */
public final class JsonBody {

    /** Request records are flat; anything nested this deep is not one of them. */
    static final int MAX_DEPTH = 16;
    private static final int MAX_NAME_LENGTH = 256;
    private static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectMapper STRICT = strict();

    private JsonBody() {
    }

    /** The body of {@code ctx} as {@code type}, or a 400/413/415 that says what is wrong with it. */
    public static <T extends Record> T read(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !isJson(contentType)) {
            throw ApiException.unsupportedMediaType("The body must be JSON: send Content-Type: application/json"
                    + (contentType == null ? "" : ", not " + Params.shown(contentType)));
        }
        return parse(ctx.bodyAsBytes(), type);
    }

    /** {@code body} as {@code type}: what {@link #read} does once the content type is known to be JSON. */
    public static <T extends Record> T parse(byte[] body, Class<T> type) {
        JsonNode tree = tree(body);
        try {
            return finite(STRICT.treeToValue(tree, type));
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + Params.shown(e.getPropertyName()) + "'; the fields are "
                    + Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.joining(", ")));
        } catch (DatabindException e) {
            throw ApiException.badRequest(fieldProblem(type, e));
        } catch (IOException e) {
            throw ApiException.badRequest("the body does not fit this endpoint's fields");
        }
    }

    // Jackson reads the strings "NaN" and "Infinity" into a double field, which no rule downstream expects.
    private static <T extends Record> T finite(T request) {
        for (RecordComponent component : request.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(request);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read " + component.getName(), e);
            }
            Object number = value instanceof Optional<?> optional ? optional.orElse(null) : value;
            if (number instanceof Double d && !Double.isFinite(d)) {
                throw ApiException.badRequest("field '" + component.getName() + "': expected a number");
            }
        }
        return request;
    }

    /** Refuses a body field that is not an id ({@link Identifiers}), before anything is published. */
    public static String requireId(String field, String value) {
        refuse(Identifiers.id("field '" + field + "'", value));
        return value;
    }

    /** Refuses a body field that is not a label ({@link Identifiers}), before anything is published. */
    public static String requireLabel(String field, String value) {
        refuse(Identifiers.label("field '" + field + "'", value));
        return value;
    }

    private static void refuse(Optional<Violation> violation) {
        violation.ifPresent(v -> {
            throw ApiException.badRequest(v.reason());
        });
    }

    /** application/json, or a structured type with a +json suffix. */
    static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.startsWith("application/") && mediaType.endsWith("+json");
    }

    private static JsonNode tree(byte[] body) {
        JsonNode tree;
        try (JsonParser parser = STRICT.createParser(body)) {
            tree = STRICT.readTree(parser);
            if (tree != null && !tree.isMissingNode() && !atEnd(parser)) {
                throw ApiException.badRequest("the body must be one JSON object with nothing after it");
            }
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the body nests deeper than " + MAX_DEPTH + " levels, or holds a field name longer than "
                    + MAX_NAME_LENGTH + " or a number longer than " + MAX_NUMBER_LENGTH + " characters");
        } catch (JacksonException e) {
            throw ApiException.badRequest("the body is not valid JSON" + where(e.getLocation()));
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
        if (tree == null || tree.isMissingNode()) {
            throw ApiException.badRequest("the body must be a JSON object; it is empty");
        }
        if (!tree.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object, not " + kind(tree));
        }
        return tree;
    }

    private static boolean atEnd(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String fieldProblem(Class<? extends Record> type, DatabindException e) {
        String path = e instanceof JsonMappingException mapping ? mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        if (path.isEmpty()) {
            return "the body does not fit this endpoint's fields";
        }
        String field = path.split("[.\\[]", 2)[0];
        Optional<Type> declared = Arrays.stream(type.getRecordComponents()).filter(c -> c.getName().equals(field))
                .map(RecordComponent::getGenericType).findFirst();
        return "field '" + path + "': expected " + declared.map(JsonBody::expected).orElse("another kind of value");
    }

    /** What a field of this Java type looks like in JSON, in words. */
    static String expected(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (Optional.class.equals(raw)) {
                return expected(parameterized.getActualTypeArguments()[0]);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return "an array";
            }
            return "an object";
        }
        Class<?> type1 = (Class<?>) type;
        if (type1 == String.class) {
            return "a string";
        }
        if (type1 == Long.class || type1 == long.class || type1 == Integer.class || type1 == int.class) {
            return "a whole number that fits in " + (type1 == Long.class || type1 == long.class ? 64 : 32) + " bits";
        }
        if (type1 == Double.class || type1 == double.class || type1 == Float.class || type1 == float.class) {
            return "a number";
        }
        if (type1 == Boolean.class || type1 == boolean.class) {
            return "true or false";
        }
        if (type1.isEnum()) {
            return "one of " + Arrays.stream(type1.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        return "an object";
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "this";
        };
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    // Jackson would turn "12" into 12, 1.5 into 1 and 12 into "12"; a client that sends the wrong type hears so instead.
    private static ObjectMapper strict() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH).build())
                .build();
        ObjectMapper mapper = Json.MAPPER.copyWith(factory).disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }
}

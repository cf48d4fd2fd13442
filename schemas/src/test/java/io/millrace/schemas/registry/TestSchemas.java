package io.millrace.schemas.registry;

/** Small Avro schemas, as JSON, for registry tests. */
final class TestSchemas {

    static final String ORDER = """
            {"type": "record", "name": "Order", "namespace": "shop",
             "fields": [{"name": "orderId", "type": "string"}]}
            """;

    static final String ORDER_WITH_NOTE = """
            {"type": "record", "name": "Order", "namespace": "shop",
             "fields": [{"name": "orderId", "type": "string"},
                        {"name": "note", "type": "string", "default": ""}]}
            """;

    static final String ORDER_WITH_REQUIRED_AMOUNT = """
            {"type": "record", "name": "Order", "namespace": "shop",
             "fields": [{"name": "orderId", "type": "string"},
                        {"name": "amountCents", "type": "long"}]}
            """;

    static final String PAYMENT = """
            {"type": "record", "name": "Payment", "namespace": "shop",
             "fields": [{"name": "paymentId", "type": "string"}, {"name": "amountCents", "type": "long"}]}
            """;

    private TestSchemas() {
    }

    /** A distinct record schema per name, for tests that need many. */
    static String event(String name) {
        return "{\"type\": \"record\", \"name\": \"" + name + "\", \"namespace\": \"events\","
                + " \"fields\": [{\"name\": \"at\", \"type\": \"long\"}]}";
    }
}

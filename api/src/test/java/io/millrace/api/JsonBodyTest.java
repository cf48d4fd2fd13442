package io.millrace.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A request body is one JSON object of the request's fields; anything else is a 400 that says what is wrong, in words. */
class JsonBodyTest {

    enum Kind { DIRECT, GROUP }

    record Transfer(String account, Long amount, Double rate, Kind kind, Optional<String> note) {
    }

    @Test
    void readsAnObjectWithItsOptionalFieldsLeftOut() {
        String body = "{\"account\":\"acc-1\",\"amount\":1200,\"rate\":0.5,\"kind\":\"GROUP\"}";

        Transfer transfer = JsonBody.parse(bytes(body), Transfer.class);

        assertThat(transfer).isEqualTo(new Transfer("acc-1", 1200L, 0.5, Kind.GROUP, Optional.empty()));
    }

    @Test
    void refusesABodyThatIsNotOneObject() {
        assertThat(problem("")).isEqualTo("the body must be a JSON object; it is empty");
        assertThat(problem("null")).isEqualTo("the body must be a JSON object, not null");
        assertThat(problem("[]")).isEqualTo("the body must be a JSON object, not an array");
        assertThat(problem("\"x\"")).isEqualTo("the body must be a JSON object, not a string");
        assertThat(problem("{\"account\":\"acc-1\"} {}")).isEqualTo("the body must be one JSON object with nothing after it");
        assertThat(problem("{\"account\":\"acc-1\"} trailing")).isEqualTo("the body must be one JSON object with nothing after it");
        assertThat(problem("{\"account\":")).startsWith("the body is not valid JSON (line 1, column");
    }

    @Test
    void refusesDeepNestingBeforeBuildingIt() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertThat(problem(deep)).startsWith("the body nests deeper than " + JsonBody.MAX_DEPTH + " levels");
    }

    @Test
    void namesTheFieldAndWhatItShouldHoldWithoutAJavaType() {
        assertThat(problem("{\"amount\":\"lots\"}")).isEqualTo("field 'amount': expected a whole number that fits in 64 bits");
        assertThat(problem("{\"amount\":\"12\"}")).isEqualTo("field 'amount': expected a whole number that fits in 64 bits");
        assertThat(problem("{\"amount\":1.5}")).isEqualTo("field 'amount': expected a whole number that fits in 64 bits");
        assertThat(problem("{\"amount\":" + "9".repeat(30) + "}")).endsWith("a whole number that fits in 64 bits");
        assertThat(problem("{\"rate\":\"NaN\"}")).isEqualTo("field 'rate': expected a number");
        assertThat(problem("{\"account\":123}")).isEqualTo("field 'account': expected a string");
        assertThat(problem("{\"account\":{}}")).isEqualTo("field 'account': expected a string");
        assertThat(problem("{\"note\":[]}")).isEqualTo("field 'note': expected a string");
        assertThat(problem("{\"kind\":\"SIDEWAYS\"}")).isEqualTo("field 'kind': expected one of DIRECT, GROUP");
        assertThat(problem("{\"kind\":1}")).isEqualTo("field 'kind': expected one of DIRECT, GROUP");
    }

    @Test
    void namesAnUnknownFieldAndTheKnownOnes() {
        assertThat(problem("{\"account\":\"acc-1\",\"foo\":1}"))
                .isEqualTo("unknown field 'foo'; the fields are account, amount, rate, kind, note");
    }

    @Test
    void acceptsJsonMediaTypesOnly() {
        assertThat(JsonBody.isJson("application/json")).isTrue();
        assertThat(JsonBody.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(JsonBody.isJson("application/vnd.schemaregistry.v1+json")).isTrue();
        assertThat(JsonBody.isJson("text/plain")).isFalse();
        assertThat(JsonBody.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(JsonBody.isJson("json")).isFalse();
    }

    private static String problem(String body) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> JsonBody.parse(bytes(body), Transfer.class));
        assertThat(refused).as("refused: " + body).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        return refused.getMessage();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

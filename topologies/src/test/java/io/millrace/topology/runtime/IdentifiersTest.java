package io.millrace.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void idsAreShortAndSafeInUrlsStoreKeysAndLogs() {
        assertThat(Identifiers.id("transactionId", "tx-2026-03-02.000187")).isEmpty();
        assertThat(Identifiers.id("user", "ana@example.org")).isEmpty();
        assertThat(Identifiers.id("service", "../../../etc/passwd")).map(Violation::reason)
                .contains("service may hold only letters, digits and . _ - : @, starting with a letter or digit");
        assertThat(Identifiers.id("merchantId", "m".repeat(129))).map(Violation::reason)
                .contains("merchantId must be at most 128 characters, was 129");
        assertThat(Identifiers.id("groupId", "")).map(Violation::code).contains(Identifiers.INVALID_ID);
        assertThat(Identifiers.id("groupId", "-starts-with-dash")).isPresent();
    }

    @Test
    void labelsAllowWordsButNoControlBidiOrSeparatorCharacters() {
        assertThat(Identifiers.label("endpoint", "GET /orders/{id}")).isEmpty();
        assertThat(Identifiers.label("region", "São Paulo")).isEmpty();
        assertThat(Identifiers.label("endpoint", "cart\u202Eadd")).isPresent();
        assertThat(Identifiers.label("endpoint", "cart\nadd")).isPresent();
        assertThat(Identifiers.label("endpoint", "cart|add")).isPresent();
        assertThat(Identifiers.label("endpoint", "  ")).map(Violation::reason).contains("endpoint must not be blank");
        assertThat(Identifiers.label("endpoint", "e".repeat(201))).isPresent();
    }
}

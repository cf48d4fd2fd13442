package io.millrace.topology.fraud;

import io.millrace.schemas.fraud.TokenizedAuthorization;

/** An authorization with its merchant's risk score (0 for a merchant nobody rated). */
public record RatedAuthorization(TokenizedAuthorization authorization, double merchantRisk) {
}

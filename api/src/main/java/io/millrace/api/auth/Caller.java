package io.millrace.api.auth;

/** The authenticated caller of a request: the token's subject (a user id, an operator's or a service's name) and role. */
public record Caller(String subject, Role role) {
}

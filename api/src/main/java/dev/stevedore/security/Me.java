package dev.stevedore.security;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** Who the caller is: the caller's key (never its secret), tenant and role. */
@JsonbPropertyOrder({"keyId", "keyName", "tenant", "role"})
public record Me(String keyId, String keyName, String tenant, String role) {}

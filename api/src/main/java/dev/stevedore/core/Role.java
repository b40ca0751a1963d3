package dev.stevedore.core;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a key may do. Each role includes the ones below it: an operator may do what a submitter may,
 * a submitter what a viewer may.
 */
public enum Role {
  VIEWER,
  SUBMITTER,
  OPERATOR,
  ADMIN;

  public static final String ADMIN_NAME = "admin";
  public static final String OPERATOR_NAME = "operator";
  public static final String SUBMITTER_NAME = "submitter";
  public static final String VIEWER_NAME = "viewer";

  /**
   * Reads a role in any case; null for null.
   *
   * @throws IllegalArgumentException for a name that is no role
   */
  public static Role parse(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be admin, operator, submitter or viewer", e);
    }
  }

  /** The role's name as {@code @RolesAllowed} uses it. */
  public String roleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The names of this role and every role it includes: the caller's groups. */
  public Set<String> groups() {
    return EnumSet.range(VIEWER, this).stream().map(Role::roleName).collect(Collectors.toSet());
  }

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }
}

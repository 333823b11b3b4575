package io.prophecy.sdk.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value: a personal access token, password or private key.
 *
 * <p>Every string form is masked ({@code toString()} gives {@code Secret[****]}), so a secret that
 * reaches a log line, an exception message or a debugger's view shows nothing. The value itself is
 * read only through {@link #reveal()}, which connectors call at the moment they use it. Equality
 * compares values in constant time; the hash code is constant so that it tells nothing either.
 *
 * <pre>{@code
 * Credentials creds = Credentials.builder().put("token", Secret.of(System.getenv("DATABRICKS_TOKEN"))).build();
 * }</pre>
 */
public final class Secret {
  private static final String MASK = "Secret[****]";

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret value.
   *
   * @throws IllegalArgumentException when the value is null or empty
   */
  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("A secret must not be empty");
    }
    return new Secret(value);
  }

  /** The plain value. Call it only where the value is used; never log or store what it returns. */
  public String reveal() {
    return value;
  }

  /** The length of the value, for validation messages that must not show the value. */
  public int length() {
    return value.length();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return Objects.hash(Secret.class);
  }

  @Override
  public String toString() {
    return MASK;
  }
}

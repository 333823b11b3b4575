package io.prophecy.sdk.databricks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth access token (Databricks OAuth or Azure AD) and its lifetime.
 *
 * <p>It is renewed {@link #MARGIN} before it expires, or halfway through its life for one that lives
 * less than twice that: a request never goes out with a token about to expire in flight, and a
 * failed renewal leaves time to try again while the token still works.
 *
 * @param value the token; never in {@code toString()}
 * @param obtained when it was received, on the connection's clock
 * @param expires when it expires: {@code obtained + expires_in}
 */
record AccessToken(String value, Instant obtained, Instant expires) {
  /** How long before expiry a token is renewed. */
  static final Duration MARGIN = Duration.ofMinutes(5);

  AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(obtained, "obtained");
    Objects.requireNonNull(expires, "expires");
  }

  /** When to renew it: {@link #MARGIN} before expiry, or halfway for a short-lived token. */
  Instant renewAt() {
    Duration life = Duration.between(obtained, expires);
    Duration half = life.dividedBy(2);
    return expires.minus(half.compareTo(MARGIN) < 0 ? half : MARGIN);
  }

  @Override
  public String toString() {
    return "AccessToken[****, expires " + expires + "]";
  }
}

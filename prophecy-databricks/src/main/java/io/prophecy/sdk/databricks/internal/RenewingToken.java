package io.prophecy.sdk.databricks.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An access token kept for as long as it is good and renewed ahead of its expiry (see
 * {@link AccessToken#renewAt()}). Thread-safe: callers that find it due at once cause one token
 * request, and wait for it.
 *
 * <p>When renewing fails while the current token is still valid, the current one is used and the
 * renewal tried again {@link #RETRY_AFTER_FAILURE} later, so that a brief outage of the token
 * endpoint does not fail calls, nor does every call hit the endpoint. Once the token has expired, a
 * failure is thrown.
 */
final class RenewingToken {
  private static final Logger LOG = LoggerFactory.getLogger(RenewingToken.class);
  /** How long to use a still valid token after a failed renewal before trying again. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);

  private final String what;
  private final Supplier<AccessToken> fetch;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile AccessToken current;
  private Instant nextAttempt = Instant.MIN; // guarded by lock

  /** @param what the token, for log lines: {@code Databricks OAuth token of client x} */
  RenewingToken(String what, Supplier<AccessToken> fetch, Clock clock) {
    this.what = what;
    this.fetch = fetch;
    this.clock = clock;
  }

  /** A good token: the kept one, or a new one when it is missing or due for renewal. */
  String get() {
    AccessToken t = current;
    if (t != null && clock.instant().isBefore(t.renewAt())) {
      return t.value();
    }
    lock.lock();
    try {
      t = current;
      Instant now = clock.instant();
      if (t != null && now.isBefore(t.renewAt())) {
        return t.value(); // renewed by another caller while this one waited
      }
      boolean valid = t != null && now.isBefore(t.expires());
      if (valid && now.isBefore(nextAttempt)) {
        return t.value();
      }
      try {
        AccessToken fresh = fetch.get();
        current = fresh;
        nextAttempt = Instant.MIN;
        LOG.debug("databricks auth: obtained a {}, valid until {}", what, fresh.expires());
        return fresh.value();
      } catch (InterruptedCallException e) {
        throw e;
      } catch (RuntimeException e) {
        if (!valid) {
          throw e;
        }
        nextAttempt = now.plus(RETRY_AFTER_FAILURE);
        LOG.warn("databricks auth: renewing the {} failed ({}); the current one is valid until {}, trying again in {} s",
            what, e.getMessage(), t.expires(), RETRY_AFTER_FAILURE.toSeconds());
        return t.value();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * After the workspace refused {@code rejected}: gets a new token, unless another caller has already.
   *
   * @return true: a different token than the one refused is current now, worth one more try
   */
  boolean renew(String rejected) {
    lock.lock();
    try {
      AccessToken t = current;
      if (t != null && !t.value().equals(rejected)) {
        return true;
      }
      current = null; // refused: never sent again
      AccessToken fresh = fetch.get();
      current = fresh;
      nextAttempt = Instant.MIN;
      LOG.debug("databricks auth: the {} was refused; obtained a new one, valid until {}", what, fresh.expires());
      return !fresh.value().equals(rejected);
    } finally {
      lock.unlock();
    }
  }

  /** The token kept now, if any, without renewing it. */
  Optional<String> peek() {
    AccessToken t = current;
    return t == null ? Optional.empty() : Optional.of(t.value());
  }
}

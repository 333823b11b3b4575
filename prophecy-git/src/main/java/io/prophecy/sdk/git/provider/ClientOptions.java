package io.prophecy.sdk.git.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How a provider client talks HTTP: timeouts and the retry bound for throttled safe calls. Immutable;
 * each {@code with...} returns a copy.
 *
 * <p>Only safe calls (GET) are retried, on 429 and 503, waiting what the provider's {@code Retry-After}
 * says (seconds or an HTTP date) or, without one, 1, 2, 4... seconds. A wait longer than {@link
 * #maxRetryWait()} is not waited: the call fails at once with the time the provider asked for.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.defaults().withReadTimeout(Duration.ofSeconds(60)).withMaxRetries(5);
 * }</pre>
 */
public final class ClientOptions {
  /** How the client waits between retries; tests replace it so that they need not wait. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final ClientOptions DEFAULTS = new ClientOptions(Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(120), 3, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final int maxRetries;
  private final Duration maxRetryWait;
  private final Sleeper sleeper;

  private ClientOptions(Duration connectTimeout, Duration readTimeout, Duration callTimeout, int maxRetries,
      Duration maxRetryWait, Sleeper sleeper) {
    this.connectTimeout = positive("connectTimeout", connectTimeout);
    this.readTimeout = positive("readTimeout", readTimeout);
    this.callTimeout = positive("callTimeout", callTimeout);
    if (maxRetries < 0 || maxRetries > 10) {
      throw new IllegalArgumentException("maxRetries must be between 0 and 10, was " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.maxRetryWait = Objects.requireNonNull(maxRetryWait, "maxRetryWait");
    if (maxRetryWait.isNegative()) {
      throw new IllegalArgumentException("maxRetryWait must not be negative");
    }
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Connect 10 s, read 30 s, whole call 120 s, 3 retries, waits of at most 60 s. */
  public static ClientOptions defaults() {
    return DEFAULTS;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /** The bound on one call, retries and their waits included. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** How many times a throttled GET is retried (0 to 10). */
  public int maxRetries() {
    return maxRetries;
  }

  /** The longest wait before a retry; a provider asking for more fails the call at once. */
  public Duration maxRetryWait() {
    return maxRetryWait;
  }

  Sleeper sleeper() {
    return sleeper;
  }

  public ClientOptions withConnectTimeout(Duration d) {
    return new ClientOptions(d, readTimeout, callTimeout, maxRetries, maxRetryWait, sleeper);
  }

  public ClientOptions withReadTimeout(Duration d) {
    return new ClientOptions(connectTimeout, d, callTimeout, maxRetries, maxRetryWait, sleeper);
  }

  public ClientOptions withCallTimeout(Duration d) {
    return new ClientOptions(connectTimeout, readTimeout, d, maxRetries, maxRetryWait, sleeper);
  }

  public ClientOptions withMaxRetries(int n) {
    return new ClientOptions(connectTimeout, readTimeout, callTimeout, n, maxRetryWait, sleeper);
  }

  public ClientOptions withMaxRetryWait(Duration d) {
    return new ClientOptions(connectTimeout, readTimeout, callTimeout, maxRetries, d, sleeper);
  }

  ClientOptions withSleeper(Sleeper s) {
    return new ClientOptions(connectTimeout, readTimeout, callTimeout, maxRetries, maxRetryWait, s);
  }

  @Override
  public String toString() {
    return "ClientOptions[connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout="
        + callTimeout + ", maxRetries=" + maxRetries + ", maxRetryWait=" + maxRetryWait + "]";
  }

  private static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }
}

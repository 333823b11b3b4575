package io.prophecy.sdk.databricks.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The waits between two reads of something that is still going on. Two schedules:
 *
 * <ul>
 *   <li>{@link #Backoff(Duration, Duration) geometric}: waits start short, grow by half each time and are
 *       capped;
 *   <li>{@link #proportional proportional}: each wait is a share of the time waited so far on the clock,
 *       at least a first wait and at most a cap. Something polled this way that ends {@code d} after the
 *       wait began is seen less than {@code max(first, min(max, d / share))} after it ended (not counting
 *       the time of the read itself), however long it runs: the wait after a read at {@code t < d} is at
 *       most a share of {@code t}. It costs {@code share} reads of {@code first} each, then waits growing by
 *       {@code 1 / share} each until they reach {@code max} (about {@code ln(max / first) / ln(1 + 1 / share)}
 *       reads), then one read per {@code max}.
 * </ul>
 *
 * <p>{@link #reset()} starts short again, for when what is polled moves on (a command going from Queued to
 * Running). Not thread-safe; one per wait.
 */
final class Backoff {
  /** Commands: the first wait, the share of the time waited, and the longest wait. */
  static final Duration COMMAND_FIRST = Duration.ofMillis(100);
  static final int COMMAND_SHARE = 5;
  static final Duration COMMAND_MAX = Duration.ofSeconds(10);

  private final Duration first;
  private final Duration max;
  private final int share;
  private final Clock clock;
  private Duration next;
  private Instant since;

  /** Geometric: {@code first}, then half as long again each time, up to {@code max}. */
  Backoff(Duration first, Duration max) {
    this(first, max, 0, null);
  }

  private Backoff(Duration first, Duration max, int share, Clock clock) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("a backoff needs 0 < first <= max, not " + first + " and " + max);
    }
    this.first = first;
    this.max = max;
    this.share = share;
    this.clock = clock;
    this.next = first;
    this.since = clock == null ? null : clock.instant();
  }

  /**
   * Proportional: each wait is the time since this backoff was made (or last reset) on {@code clock},
   * divided by {@code share}, and at least {@code first} and at most {@code max}.
   */
  static Backoff proportional(Duration first, int share, Duration max, Clock clock) {
    if (share < 1) {
      throw new IllegalArgumentException("the share of a proportional backoff is at least 1, not " + share);
    }
    return new Backoff(first, max, share, Objects.requireNonNull(clock, "clock"));
  }

  /** The schedule of a command's status reads: a fifth of the time waited, from 100 ms to 10 s. */
  static Backoff forCommand(Clock clock) {
    return proportional(COMMAND_FIRST, COMMAND_SHARE, COMMAND_MAX, clock);
  }

  /** The wait to take now (and, when geometric, grows the one after). */
  Duration next() {
    if (clock != null) {
      Duration waited = Duration.between(since, clock.instant());
      return clamp(waited.isNegative() ? Duration.ZERO : waited.dividedBy(share));
    }
    Duration now = next;
    next = clamp(next.plus(next.dividedBy(2)));
    return now;
  }

  private Duration clamp(Duration d) {
    return d.compareTo(first) < 0 ? first : d.compareTo(max) > 0 ? max : d;
  }

  /** Starts short again. */
  void reset() {
    next = first;
    if (clock != null) {
      since = clock.instant();
    }
  }
}

package io.prophecy.sdk.databricks.internal;

import java.time.Duration;

/**
 * Adaptive polling: waits start short, grow by half each time, are capped, and start short again when
 * what is polled moves on (a command going from Queued to Running). Not thread-safe; one per wait.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private Duration next;

  Backoff(Duration first, Duration max) {
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** The wait to take now, and grows the one after. */
  Duration next() {
    Duration now = next;
    Duration grown = next.plus(next.dividedBy(2));
    next = grown.compareTo(max) > 0 ? max : grown;
    return now;
  }

  /** Starts short again. */
  void reset() {
    next = first;
  }
}

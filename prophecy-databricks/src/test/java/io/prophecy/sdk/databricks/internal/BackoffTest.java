package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two polling schedules, on a clock that moves only by the waits taken. The command schedule is run
 * as {@link CommandExecution#await} runs it (a read at once, then a wait, a read, ...) against commands of
 * many lengths, and checked against the targets of issue 5: a command's end is seen no later than a
 * quarter of its length after it (at least 100 ms allowed, at most 10 s), and a five-minute command takes
 * at most a quarter of the reads of polling once a second.
 */
class BackoffTest {
  private final TestPlatform.MutableClock clock = new TestPlatform.MutableClock(Instant.parse("2026-12-01T12:00:00Z"));

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void geometricGrowsByHalfUpToTheCapAndStartsShortAgainOnReset() {
    Backoff b = new Backoff(ms(100), ms(500));
    assertThat(List.of(b.next(), b.next(), b.next(), b.next(), b.next()))
        .containsExactly(ms(100), ms(150), ms(225), Duration.ofNanos(337_500_000), ms(500));
    b.reset();
    assertThat(b.next()).isEqualTo(ms(100));
  }

  @Test
  void proportionalWaitsAShareOfTheTimeWaitedBetweenTheFirstWaitAndTheCap() {
    Backoff b = Backoff.proportional(ms(100), 5, Duration.ofSeconds(10), clock);
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Duration w = b.next();
      waits.add(w);
      clock.advance(w);
    }
    // 100 ms until a fifth of the time waited is more (after 500 ms), then a fifth of it: each wait 1.2x the last
    assertThat(waits).containsExactly(ms(100), ms(100), ms(100), ms(100), ms(100), ms(100), ms(120), ms(144),
        Duration.ofNanos(172_800_000));
    clock.advance(Duration.ofSeconds(60));
    assertThat(b.next()).as("capped").isEqualTo(Duration.ofSeconds(10));
    b.reset();
    assertThat(b.next()).as("after a reset").isEqualTo(ms(100));
    clock.advance(Duration.ofSeconds(2));
    assertThat(b.next()).isEqualTo(ms(400));
  }

  @Test
  void proportionalDoesNotWaitLessThanTheFirstWaitWhenTheClockGoesBack() {
    Backoff b = Backoff.proportional(ms(100), 5, Duration.ofSeconds(10), clock);
    clock.advance(Duration.ofSeconds(-30));
    assertThat(b.next()).isEqualTo(ms(100));
  }

  @Test
  void refusesSchedulesThatCannotWork() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, ms(10))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 < first <= max");
    assertThatThrownBy(() -> new Backoff(ms(10), ms(5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.proportional(ms(100), 0, ms(200), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, not 0");
  }

  /** What polling a command of the given length cost: reads, and how long after its end the last one came. */
  private record Polled(int reads, Duration late) {}

  /** Polls as {@link CommandExecution#await} does: a read at once, then the schedule's wait before each next. */
  private Polled poll(Duration length, Backoff schedule) {
    Instant start = clock.instant();
    Instant end = start.plus(length);
    int reads = 0;
    while (true) {
      reads++;
      if (!clock.instant().isBefore(end)) {
        return new Polled(reads, Duration.between(end, clock.instant()));
      }
      clock.advance(schedule.next());
    }
  }

  private Polled adaptive(Duration length) {
    return poll(length, Backoff.forCommand(clock));
  }

  private Polled everySecond(Duration length) {
    return poll(length, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)));
  }

  /** The target: a quarter of the length, at least 100 ms and at most 10 s. */
  private static Duration allowed(Duration length) {
    Duration quarter = length.dividedBy(4);
    Duration capped = quarter.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : quarter;
    return capped.compareTo(ms(100)) < 0 ? ms(100) : capped;
  }

  @Test
  void theCommandsOfTheBenchmarkAreSeenInTimeWithAQuarterOfTheReadsAtFiveMinutes() {
    // 0.1 s: reads at 0 and 100 ms
    assertThat(adaptive(ms(100))).isEqualTo(new Polled(2, Duration.ZERO));
    assertThat(everySecond(ms(100))).isEqualTo(new Polled(2, ms(900)));
    // 2 s: reads at 0, 0.1 ... 0.6 s (7), then at 0.6 s x 1.2^k: 0.72 ... 2.1499 s (k = 1..7)
    Polled two = adaptive(Duration.ofSeconds(2));
    assertThat(two.reads()).isEqualTo(14);
    assertThat(two.late()).isBetween(Duration.ofNanos(149_908_000), Duration.ofNanos(149_909_000));
    assertThat(everySecond(Duration.ofSeconds(2))).isEqualTo(new Polled(3, Duration.ZERO));
    // 30 s: 7 reads, then k = 1..22: 0.6 s x 1.2^22 = 33.124 s
    Polled thirty = adaptive(Duration.ofSeconds(30));
    assertThat(thirty.reads()).isEqualTo(29);
    assertThat(thirty.late()).isBetween(ms(3_123), ms(3_124));
    assertThat(everySecond(Duration.ofSeconds(30))).isEqualTo(new Polled(31, Duration.ZERO));
    // 5 min: 7 reads, k = 1..25 up to 57.24 s (the wait there, 11.4 s, is capped), then 25 reads 10 s apart
    Polled five = adaptive(Duration.ofMinutes(5));
    assertThat(five.reads()).isEqualTo(57);
    assertThat(five.late()).isBetween(ms(7_237), ms(7_238));
    Polled fixed = everySecond(Duration.ofMinutes(5));
    assertThat(fixed).isEqualTo(new Polled(301, Duration.ZERO));
    assertThat(five.reads() * 4).isLessThanOrEqualTo(fixed.reads());
    for (Polled p : List.of(two, thirty, five)) {
      assertThat(p.late()).isPositive();
    }
    assertThat(two.late()).isLessThan(allowed(Duration.ofSeconds(2)));
    assertThat(thirty.late()).isLessThan(allowed(Duration.ofSeconds(30)));
    assertThat(five.late()).isLessThan(allowed(Duration.ofMinutes(5)));
  }

  @Test
  void everyLengthUpToTenMinutesIsSeenWithinAFifthOfItAndSoWithinTheTarget() {
    List<Duration> lengths = new ArrayList<>();
    for (long ms = 0; ms <= 3_000; ms++) {
      lengths.add(ms(ms));
    }
    for (long ms = 3_000; ms <= 120_000; ms += 7) {
      lengths.add(ms(ms));
    }
    for (long ms = 120_000; ms <= 600_000; ms += 97) {
      lengths.add(ms(ms));
    }
    int checked = 0;
    int maxReads = 0;
    for (Duration length : lengths) {
      Polled p = adaptive(length);
      Duration fifth = length.dividedBy(5);
      Duration bound = fifth.compareTo(ms(100)) < 0 ? ms(100)
          : fifth.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : fifth;
      assertThat(p.late()).as("late for %s", length).isLessThan(bound);
      assertThat(p.late()).as("within the target for %s", length).isLessThan(allowed(length));
      maxReads = Math.max(maxReads, p.reads());
      checked++;
    }
    assertThat(checked).isEqualTo(lengths.size()).isGreaterThan(24_000); // 3,001 + 16,715 + 4,949 lengths
    // ten minutes: 32 reads to 57 s, then one per 10 s
    assertThat(maxReads).isEqualTo(32 + 55);
  }

  @Test
  void fromFiveMinutesOnACommandTakesAtMostAQuarterOfTheReadsOfPollingEverySecond() {
    for (long s = 300; s <= 7_200; s += 13) {
      Duration length = Duration.ofSeconds(s);
      assertThat(adaptive(length).reads() * 4).as("reads for %s", length)
          .isLessThanOrEqualTo(everySecond(length).reads());
    }
  }
}

package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.spi.ConnectorContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A clock that moves only when the connector sleeps, a sleeper that records each wait (and can be told to
 * be interrupted), and shutdown hooks that are recorded instead of given to the JVM.
 */
final class TestPlatform {
  static final String USER_AGENT = "prophecy-java-sdk/" + Prophecy.version() + " java/" + System.getProperty("java.version");

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  final List<Thread> hooks = new CopyOnWriteArrayList<>();
  final List<Thread> removedHooks = new CopyOnWriteArrayList<>();
  /** When set, the next sleep throws InterruptedException (and clears this). */
  final AtomicBoolean interruptNextSleep = new AtomicBoolean();

  Platform platform() {
    return new Platform(d -> {
      if (interruptNextSleep.getAndSet(false)) {
        throw new InterruptedException("interrupted by the test");
      }
      sleeps.add(d);
      clock.advance(d);
    }, new Platform.ShutdownHooks() {
      @Override
      public void add(Thread hook) {
        hooks.add(hook);
      }

      @Override
      public boolean remove(Thread hook) {
        removedHooks.add(hook);
        return hooks.remove(hook);
      }
    });
  }

  ConnectorContext context() {
    return new ConnectorContext() {
      @Override
      public String userAgent() {
        return USER_AGENT;
      }

      @Override
      public Path workDirectory() {
        return Path.of("target", "databricks-work");
      }

      @Override
      public String userEmail() {
        return "alice@example.com";
      }

      @Override
      public Clock clock() {
        return clock;
      }
    };
  }

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    synchronized void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the test clock is UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

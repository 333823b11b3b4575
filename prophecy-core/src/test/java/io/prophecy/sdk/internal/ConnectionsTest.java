package io.prophecy.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConnectionsTest {
  static final Connections.Key ALICE_DEV = new Connections.Key("f1", "u1");
  static final Connections.Key BOB_DEV = new Connections.Key("f1", "u2");

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Connections that count how often they are closed. */
  static final class Opened implements Supplier<FabricConnection> {
    final List<Fake> made = new CopyOnWriteArrayList<>();

    @Override
    public Fake get() {
      Fake f = new Fake();
      made.add(f);
      return f;
    }

    long open() {
      return made.stream().filter(f -> f.closes.get() == 0).count();
    }
  }

  static final class Fake implements FabricConnection {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public ExecutionSession openSession(SessionOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String kind() {
      return "test";
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  final TestClock clock = new TestClock();
  final Opened opened = new Opened();
  final Connections connections = new Connections(clock, Duration.ofMinutes(30));

  @Test
  void aSecondLeaseReusesTheConnectionAndReleasingKeepsItOpen() {
    FabricConnection first;
    try (Connections.Lease a = connections.lease(ALICE_DEV, "test", "fp1", opened)) {
      assertThat(a.reused()).isFalse();
      first = a.connection();
    }
    try (Connections.Lease b = connections.lease(ALICE_DEV, "test", "fp1", opened);
        Connections.Lease c = connections.lease(ALICE_DEV, "test", "fp1", opened)) {
      assertThat(b.reused()).isTrue();
      assertThat(b.connection()).isSameAs(first).isSameAs(c.connection());
    }
    assertThat(opened.made).hasSize(1);
    assertThat(opened.open()).isEqualTo(1);
    // each user has a connection of their own
    try (Connections.Lease bob = connections.lease(BOB_DEV, "test", "fp1", opened)) {
      assertThat(bob.reused()).isFalse();
      assertThat(bob.connection()).isNotSameAs(first);
    }
    assertThat(connections.size()).isEqualTo(2);
  }

  @Test
  void changedSettingsOrCredentialsGiveANewConnectionAndTheOldOneClosesWhenItsRunEnds() {
    Connections.Lease running = connections.lease(ALICE_DEV, "test", "fp1", opened);
    try (Connections.Lease next = connections.lease(ALICE_DEV, "test", "fp2", opened)) {
      assertThat(next.reused()).isFalse();
      assertThat(next.connection()).isNotSameAs(running.connection());
      assertThat(opened.made.get(0).closes).hasValue(0); // still in use
      running.close();
      running.close(); // a second close changes nothing
      assertThat(opened.made.get(0).closes).hasValue(1);
    }
    assertThat(opened.made.get(1).closes).hasValue(0);
    connections.retire("f1");
    assertThat(opened.made.get(1).closes).hasValue(1);
    assertThat(connections.size()).isZero();
  }

  @Test
  void idleConnectionsCloseAfterTheTimeoutButNotWhileLeased() {
    connections.lease(ALICE_DEV, "test", "fp", opened).close();
    Connections.Lease held = connections.lease(BOB_DEV, "test", "fp", opened);
    clock.now = clock.now.plus(Duration.ofMinutes(29));
    connections.reap();
    assertThat(opened.open()).isEqualTo(2);
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    connections.reap();
    assertThat(opened.made.get(0).closes).hasValue(1);
    assertThat(opened.made.get(1).closes).hasValue(0);
    held.close();
    clock.now = clock.now.plus(Duration.ofMinutes(31));
    connections.reap();
    assertThat(opened.open()).isZero();
    assertThat(connections.size()).isZero();
  }

  @Test
  void closingClosesIdleConnectionsNowAndLeasedOnesWhenReleased() {
    connections.lease(ALICE_DEV, "test", "fp", opened).close();
    Connections.Lease held = connections.lease(BOB_DEV, "test", "fp", opened);
    connections.close();
    assertThat(opened.made.get(0).closes).hasValue(1);
    assertThat(opened.made.get(1).closes).hasValue(0);
    held.close();
    assertThat(opened.made.get(1).closes).hasValue(1);
    assertThatThrownBy(() -> connections.lease(ALICE_DEV, "test", "fp", opened))
        .isInstanceOf(ProphecyException.class).hasMessageContaining("closed");
    assertThat(opened.made).hasSize(2);
  }

  @Test
  void withAZeroTimeoutEveryRunConnectsAndClosesItsOwn() {
    Connections none = new Connections(clock, Duration.ZERO);
    Connections.Lease a = none.lease(ALICE_DEV, "test", "fp", opened);
    Connections.Lease b = none.lease(ALICE_DEV, "test", "fp", opened);
    assertThat(b.connection()).isNotSameAs(a.connection());
    a.close();
    b.close();
    assertThat(opened.made).hasSize(2).allSatisfy(f -> assertThat(f.closes).hasValue(1));
    assertThat(none.size()).isZero();
  }

  @Test
  void aRefusedConnectClosesIdleConnectionsOfTheKindAndTriesOnceMore() {
    connections.lease(BOB_DEV, "test", "fp", opened).close();
    AtomicInteger tries = new AtomicInteger();
    Supplier<FabricConnection> onlyOne = () -> {
      tries.incrementAndGet();
      if (opened.open() > 0) {
        throw new ConnectorException("test", "another context runs in this JVM");
      }
      return opened.get();
    };
    try (Connections.Lease a = connections.lease(new Connections.Key("f2", "u1"), "test", "fp", onlyOne)) {
      assertThat(a.reused()).isFalse();
    }
    assertThat(tries).hasValue(2);
    assertThat(opened.made.get(0).closes).hasValue(1);

    // with nothing idle to close, the connector's error is the caller's
    Connections.Lease busy = connections.lease(new Connections.Key("f3", "u1"), "other", "fp", opened);
    tries.set(0);
    assertThatThrownBy(() -> connections.lease(new Connections.Key("f4", "u1"), "other", "fp", onlyOne))
        .isInstanceOf(ConnectorException.class).hasMessageContaining("another context");
    assertThat(tries).hasValue(1);
    busy.close();
  }

  @Test
  void manyThreadsLeasingAtOnceShareOneConnectionInTheEnd() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 200; i++) {
            try (Connections.Lease l = connections.lease(ALICE_DEV, "test", "fp", opened)) {
              assertThat(((Fake) l.connection()).closes).hasValue(0);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(connections.size()).isEqualTo(1);
    assertThat(opened.open()).isEqualTo(1);
    assertThat(opened.made).allSatisfy(f -> assertThat(f.closes.get()).isLessThanOrEqualTo(1));
  }
}

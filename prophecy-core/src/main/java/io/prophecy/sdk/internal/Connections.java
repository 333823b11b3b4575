package io.prophecy.sdk.internal;

import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.spi.FabricConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric connections the SDK keeps open for its own interactive work (runs, analyses), one per
 * fabric and user, so that a second run does not start the engine again (a Spark context, a remote
 * session). A connection is shared by the runs that lease it at once (connections are thread-safe),
 * replaced when its fabric's settings or the user's credentials change, closed once it has been idle
 * for the timeout, and closed with the {@code Prophecy} instance. Thread-safe.
 */
final class Connections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  record Key(String fabricId, String userId) {}

  private static final class Entry {
    final Key key;
    final String kind;
    final FabricConnection connection;
    final String fingerprint;
    int leases;
    Instant lastUsed;
    boolean retired;

    Entry(Key key, String kind, FabricConnection connection, String fingerprint, Instant now) {
      this.key = key;
      this.kind = kind;
      this.connection = connection;
      this.fingerprint = fingerprint;
      this.lastUsed = now;
    }
  }

  /** One use of a kept connection; closing it returns the connection, it does not close it. */
  final class Lease implements AutoCloseable {
    private final Entry entry;
    private final boolean reused;
    private boolean released;

    private Lease(Entry entry, boolean reused) {
      this.entry = entry;
      this.reused = reused;
    }

    FabricConnection connection() {
      return entry.connection;
    }

    /** Whether the connection was open already. */
    boolean reused() {
      return reused;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      release(entry);
    }
  }

  private final Clock clock;
  private final Duration idle;
  private final Map<Key, Entry> open = new HashMap<>();
  private ScheduledExecutorService reaper;
  private boolean closed;

  /** @param idle how long an unused connection stays open; zero keeps none */
  Connections(Clock clock, Duration idle) {
    this.clock = clock;
    this.idle = idle;
  }

  /**
   * The kept connection of {@code key} when it was opened with the same {@code fingerprint} (the
   * fabric's settings and the user's stored credentials), else a new one from {@code connect}. When
   * connecting fails while idle connections of the same kind are open, those are closed and the
   * connect is tried once more: some engines allow one context per JVM or a few per cluster.
   */
  Lease lease(Key key, String kind, String fingerprint, Supplier<FabricConnection> connect) {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      checkOpen();
      Entry e = open.get(key);
      if (e != null && e.fingerprint.equals(fingerprint)) {
        e.leases++;
        return new Lease(e, true);
      }
      if (e != null) {
        retire(e, toClose);
      }
    }
    closeAll(toClose);
    FabricConnection c;
    try {
      c = connect.get();
    } catch (RuntimeException first) {
      if (!closeIdle(kind)) {
        throw first;
      }
      LOG.debug("Connecting to a {} fabric failed with idle {} connections open; closed them, trying again", kind, kind);
      c = connect.get();
    }
    Lease lease;
    synchronized (this) {
      if (closed) {
        toClose.add(new Entry(key, kind, c, fingerprint, clock.instant()));
        lease = null;
      } else {
        Entry replaced = open.get(key);
        if (replaced != null) {
          retire(replaced, toClose);
        }
        Entry fresh = new Entry(key, kind, c, fingerprint, clock.instant());
        fresh.leases = 1;
        if (idle.isZero()) {
          fresh.retired = true; // closed when this lease ends
        } else {
          open.put(key, fresh);
          startReaper();
        }
        lease = new Lease(fresh, false);
      }
    }
    closeAll(toClose);
    if (lease == null) {
      throw closedError();
    }
    return lease;
  }

  /** Closes the kept connections of a fabric (after it changed or was deleted); leased ones when released. */
  void retire(String fabricId) {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      for (Entry e : List.copyOf(open.values())) {
        if (e.key.fabricId().equals(fabricId)) {
          retire(e, toClose);
        }
      }
    }
    closeAll(toClose);
  }

  /** Closes the connections nobody has used for the idle timeout. */
  void reap() {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      Instant cutoff = clock.instant().minus(idle);
      for (Entry e : List.copyOf(open.values())) {
        if (e.leases == 0 && !e.lastUsed.isAfter(cutoff)) {
          retire(e, toClose);
        }
      }
    }
    closeAll(toClose);
  }

  /** How many connections are kept open now. */
  synchronized int size() {
    return open.size();
  }

  @Override
  public void close() {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (Entry e : List.copyOf(open.values())) {
        retire(e, toClose);
      }
      if (reaper != null) {
        reaper.shutdownNow();
      }
    }
    closeAll(toClose);
  }

  private boolean closeIdle(String kind) {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      for (Entry e : List.copyOf(open.values())) {
        if (e.kind.equals(kind) && e.leases == 0) {
          retire(e, toClose);
        }
      }
    }
    boolean any = !toClose.isEmpty();
    closeAll(toClose);
    return any;
  }

  private void release(Entry e) {
    boolean close;
    synchronized (this) {
      e.leases--;
      e.lastUsed = clock.instant();
      close = e.retired && e.leases == 0;
    }
    if (close) {
      closeQuietly(e.connection);
    }
  }

  /** Takes the entry out of the kept ones; it is closed now when unused, else when its last lease ends. */
  private void retire(Entry e, List<Entry> toClose) {
    if (open.get(e.key) == e) {
      open.remove(e.key);
    }
    if (!e.retired) {
      e.retired = true;
      if (e.leases == 0) {
        toClose.add(e);
      }
    }
  }

  private void startReaper() {
    if (reaper != null) {
      return;
    }
    reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "prophecy-idle-connections");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, Math.min(idle.toMillis() / 2, TimeUnit.MINUTES.toMillis(1)));
    reaper.scheduleWithFixedDelay(this::reapQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  private void reapQuietly() {
    try {
      reap();
    } catch (RuntimeException e) {
      LOG.warn("Closing idle fabric connections failed: {}", Engine.describe(e));
    }
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private static ProphecyException closedError() {
    return new ProphecyException("This Prophecy instance is closed; build a new one with Prophecy.builder()");
  }

  private static void closeAll(List<Entry> entries) {
    for (Entry e : entries) {
      closeQuietly(e.connection);
    }
    entries.clear();
  }

  private static void closeQuietly(FabricConnection c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing a {} fabric connection failed: {}", c.kind(), Engine.describe(e));
    }
  }
}

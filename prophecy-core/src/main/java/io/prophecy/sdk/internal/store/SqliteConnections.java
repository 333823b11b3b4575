package io.prophecy.sdk.internal.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.SQLiteDataSource;

/**
 * A pool of SQLite connections without threads of its own. A SQLite connection is a file handle in
 * this process: it needs no validation, keep-alive or maximum lifetime, so a general-purpose pool's
 * housekeeping would only add start-up and shutdown cost. Connections are made on demand, at most
 * {@code max} at once, and kept for reuse. Thread-safe.
 */
final class SqliteConnections implements ConnectionSource {
  private final SQLiteDataSource source;
  private final Semaphore permits;
  private final int max;
  private final long waitMillis;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DataSource asDataSource = new PoolDataSource();

  SqliteConnections(SQLiteDataSource source, int max, long waitMillis) {
    this.source = source;
    this.max = max;
    this.permits = new Semaphore(max, true);
    this.waitMillis = waitMillis;
  }

  @Override
  public Connection get() throws SQLException {
    if (closed.get()) {
      throw new SQLException("the store is closed");
    }
    try {
      if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
        throw new SQLException("all " + max + " store connections stayed busy for "
            + waitMillis + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a store connection", e);
    }
    Connection physical;
    synchronized (idle) {
      physical = idle.pollFirst();
    }
    try {
      if (physical == null) {
        physical = source.getConnection();
      }
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
    return lease(physical);
  }

  /** What a caller holds: the physical connection until close() gives it back. */
  private final class Lease {
    final Connection physical;
    final AtomicBoolean returned = new AtomicBoolean();
    volatile boolean evicted;

    Lease(Connection physical) {
      this.physical = physical;
    }

    void giveBack() throws SQLException {
      if (!returned.compareAndSet(false, true)) {
        return;
      }
      try {
        boolean reusable = !evicted && !closed.get() && !physical.isClosed();
        if (reusable && !physical.getAutoCommit()) {
          physical.rollback(); // a transaction left open by a failure is not carried to the next user
          physical.setAutoCommit(true);
        }
        if (reusable) {
          synchronized (idle) {
            idle.addFirst(physical);
          }
        } else {
          physical.close();
        }
      } catch (SQLException e) {
        physical.close();
      } finally {
        permits.release();
      }
    }
  }

  private Connection lease(Connection physical) {
    Lease lease = new Lease(physical);
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              lease.giveBack();
              return null;
            case "isClosed":
              return lease.returned.get() || physical.isClosed();
            case "unwrap":
              if (((Class<?>) args[0]).isInstance(proxy)) {
                return proxy;
              }
              if (args[0] == Lease.class) {
                return lease;
              }
              break;
            case "toString":
              return "SqliteConnection[" + (lease.returned.get() ? "returned" : "leased") + "]";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              break;
          }
          if (lease.returned.get()) {
            throw new SQLException("this connection was returned to the pool");
          }
          try {
            return method.invoke(physical, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public void evict(Connection c) {
    if (Proxy.isProxyClass(c.getClass())) {
      try {
        Object lease = c.unwrap(Lease.class);
        ((Lease) lease).evicted = true;
      } catch (SQLException e) {
        // Not one of ours: nothing to mark.
      }
    }
  }

  @Override
  public DataSource dataSource() {
    return asDataSource;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      synchronized (idle) {
        for (Connection c : idle) {
          try {
            c.close();
          } catch (SQLException e) {
            // Closing a file handle that is gone already; nothing is lost.
          }
        }
        idle.clear();
      }
    }
  }

  /** The pool seen as a DataSource, for Flyway. */
  private final class PoolDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return get();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return get();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("the store logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }
  }
}

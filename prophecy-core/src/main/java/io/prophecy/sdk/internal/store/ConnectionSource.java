package io.prophecy.sdk.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Where the store's connections come from: a pool that takes them back on {@code close()}. */
interface ConnectionSource extends AutoCloseable {
  Connection get() throws SQLException;

  /** Drops a connection (already closed or not) whose state is unknown, instead of reusing it. */
  void evict(Connection c);

  /** The pool as a {@link DataSource}, for the migration library. */
  DataSource dataSource();

  @Override
  void close();
}

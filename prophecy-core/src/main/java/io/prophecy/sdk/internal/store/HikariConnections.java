package io.prophecy.sdk.internal.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** PostgreSQL connections from HikariCP: network connections want validation and lifetimes. */
final class HikariConnections implements ConnectionSource {
  private final HikariDataSource pool;

  HikariConnections(HikariDataSource pool) {
    this.pool = pool;
  }

  @Override
  public Connection get() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void evict(Connection c) {
    pool.evictConnection(c);
  }

  @Override
  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}

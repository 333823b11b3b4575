package io.prophecy.sdk.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

class SqliteConnectionsTest {
  @TempDir Path dir;
  SqliteConnections pool;

  @BeforeEach
  void open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
    pool = new SqliteConnections(ds, 2, 200);
    try (Connection c = pool.get()) {
      c.createStatement().execute("CREATE TABLE t (x INTEGER)");
    }
  }

  @AfterEach
  void close() {
    pool.close();
  }

  private static long count(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aTransactionLeftOpenIsRolledBackBeforeTheConnectionIsReused() throws SQLException {
    Connection first = pool.get();
    first.setAutoCommit(false);
    first.createStatement().execute("INSERT INTO t VALUES (1)");
    first.close(); // never committed
    assertThat(first.isClosed()).isTrue();
    assertThatThrownBy(first::createStatement).hasMessageContaining("returned to the pool");
    try (Connection again = pool.get()) {
      assertThat(again.getAutoCommit()).isTrue();
      assertThat(count(again)).isZero();
    }
  }

  @Test
  void atMostTheBoundAreLeasedAndAWaiterGivesUpWithAClearError() throws SQLException {
    Connection a = pool.get();
    Connection b = pool.get();
    assertThatThrownBy(pool::get).isInstanceOf(SQLException.class).hasMessage("all 2 store connections stayed busy for 200 ms");
    b.close();
    b.close(); // a second close gives nothing back twice
    try (Connection c = pool.get()) {
      assertThatThrownBy(pool::get).isInstanceOf(SQLException.class);
      assertThat(count(c)).isZero();
    }
    a.close();
  }

  @Test
  void anEvictedConnectionIsClosedNotReused() throws SQLException {
    Connection c = pool.get();
    Connection physical = c.unwrap(org.sqlite.SQLiteConnection.class);
    pool.evict(c);
    c.close();
    assertThat(physical.isClosed()).isTrue();
  }

  @Test
  void aClosedPoolRefusesAndClosesWhatComesBack() throws SQLException {
    Connection c = pool.get();
    Connection physical = c.unwrap(org.sqlite.SQLiteConnection.class);
    pool.close();
    assertThatThrownBy(pool::get).hasMessageContaining("closed");
    c.close();
    assertThat(physical.isClosed()).isTrue();
  }
}

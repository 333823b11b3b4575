package io.prophecy.sdk.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prophecy.sdk.StoreException;
import io.prophecy.sdk.model.Secret;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The metadata store's connection pool, schema migrations and transactions. Thread-safe.
 *
 * <p>SQLite (the default, one file under the home) runs in WAL mode with {@code BEGIN IMMEDIATE}
 * write transactions and a busy timeout, so several threads and several JVMs may write one file at
 * once: a writer waits for the lock instead of failing. PostgreSQL is reached by its JDBC URL.
 */
public final class Database implements AutoCloseable {
  /** The newest schema version this SDK knows; equal to the highest {@code V<n>__*.sql} migration. */
  public static final int SCHEMA_VERSION = 3;

  static final String HISTORY_TABLE = "prophecy_schema_history";
  private static final String MIGRATIONS = "classpath:io/prophecy/sdk/internal/store/migration";
  private static final int BUSY_TIMEOUT_MS = 30_000;
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** The SQL dialects the store speaks. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  private final ConnectionSource pool;
  private final Dialect dialect;
  private final String description;

  private Database(ConnectionSource pool, Dialect dialect, String description) {
    this.pool = pool;
    this.dialect = dialect;
    this.description = description;
  }

  /**
   * Opens the store at a JDBC URL, migrating its schema when it is behind.
   *
   * @param url {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}
   * @param user the database user, or empty
   * @param password the database password, or empty
   * @param lockFile a file that serialises migrations between processes sharing a SQLite file
   */
  public static Database open(String url, Optional<String> user, Optional<Secret> password, Path lockFile) {
    String description = describe(url);
    Dialect dialect;
    ConnectionSource pool;
    if (url.startsWith("jdbc:sqlite:")) {
      dialect = Dialect.SQLITE;
      String file = url.substring("jdbc:sqlite:".length());
      if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) {
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
          if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
          }
        } catch (IOException e) {
          throw new StoreException(
              "Cannot create the folder " + parent + " for the metadata store " + description
                  + ": check that it is writable",
              e);
        }
      }
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
      sqlite.enforceForeignKeys(true);
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      SQLiteDataSource ds = new SQLiteDataSource(sqlite);
      ds.setUrl(url);
      pool = new SqliteConnections(ds, 8, BUSY_TIMEOUT_MS + 5_000L);
    } else if (url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
      HikariConfig config = new HikariConfig();
      config.setPoolName("prophecy-store");
      config.setConnectionTimeout(BUSY_TIMEOUT_MS + 5_000L);
      config.setMinimumIdle(1);
      config.setJdbcUrl(url);
      user.ifPresent(config::setUsername);
      password.ifPresent(p -> config.setPassword(p.reveal()));
      config.setMaximumPoolSize(8);
      try {
        pool = new HikariConnections(new HikariDataSource(config));
      } catch (RuntimeException e) {
        throw new StoreException(
            "Cannot connect to the metadata store " + description + ": " + rootMessage(e)
                + ". Check that the database is running and the URL, user and password are right",
            e);
      }
    } else {
      throw new io.prophecy.sdk.InvalidInputException(
          "store url",
          "'" + description + "' is not a supported store: use jdbc:sqlite:<file> (the default) or"
              + " jdbc:postgresql://<host>:<port>/<database>");
    }
    Database db = new Database(pool, dialect, description);
    try {
      db.migrate(lockFile);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return db;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The store's URL without credentials, for messages. */
  public String description() {
    return description;
  }

  public DataSource dataSource() {
    return pool.dataSource();
  }

  /** Runs a read in auto-commit mode. */
  public <T> T read(SqlFunction<T> work) {
    try (Connection c = pool.get()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /**
   * Runs work in one write transaction, committed when the work returns and rolled back when it
   * throws. On SQLite the transaction takes the write lock at its start, waiting for other writers.
   */
  public <T> T write(SqlFunction<T> work) {
    try (Connection c = pool.get()) {
      try {
        c.setAutoCommit(false); // on SQLite: BEGIN IMMEDIATE, waiting up to the busy timeout
      } catch (SQLException e) {
        pool.evict(c); // its transaction state is unknown now
        throw e;
      }
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  /** Whether the exception is a unique-key violation, on either dialect. */
  public static boolean isUniqueViolation(SQLException e) {
    if (e instanceof SQLiteException s) {
      return s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
          || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
    }
    return "23505".equals(e.getSQLState());
  }

  @Override
  public void close() {
    pool.close();
  }

  private void migrate(Path lockFile) {
    int current = currentVersion();
    if (current == SCHEMA_VERSION) {
      return;
    }
    if (current > SCHEMA_VERSION) {
      throw new StoreException(
          "The metadata store " + description + " has schema version " + current
              + ", newer than this SDK knows (" + SCHEMA_VERSION + "). Upgrade the SDK to open it");
    }
    if (dialect == Dialect.SQLITE) {
      withFileLock(lockFile, this::runFlyway);
    } else {
      runFlyway(); // Flyway serialises PostgreSQL migrations with an advisory lock.
    }
  }

  private void runFlyway() {
    String identity =
        dialect == Dialect.SQLITE
            ? "INTEGER PRIMARY KEY AUTOINCREMENT"
            : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    try {
      Flyway.configure(Database.class.getClassLoader())
          .dataSource(pool.dataSource())
          .locations(MIGRATIONS)
          .table(HISTORY_TABLE)
          .placeholders(Map.of("identity", identity))
          .loggers("slf4j")
          .load()
          .migrate();
      log.info("Metadata store {} is at schema version {}", description, SCHEMA_VERSION);
    } catch (FlywayException e) {
      throw new StoreException(
          "Migrating the metadata store " + description + " to schema version " + SCHEMA_VERSION
              + " failed: " + e.getMessage(),
          e);
    }
  }

  /** The highest successfully applied schema version, 0 for an empty database. */
  private int currentVersion() {
    Set<Integer> applied = new HashSet<>();
    try (Connection c = pool.get();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, success FROM " + HISTORY_TABLE)) {
      while (rs.next()) {
        String v = rs.getString(1);
        if (v != null && rs.getBoolean(2)) {
          applied.add(Integer.parseInt(v));
        }
      }
    } catch (SQLException e) {
      if (isMissingTable(e)) {
        return 0; // a new database: nothing applied yet
      }
      throw failure("read the schema version of", e);
    }
    int max = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int v = 1; v <= Math.min(max, SCHEMA_VERSION); v++) {
      if (!applied.contains(v)) {
        return v - 1;
      }
    }
    return max;
  }

  private boolean isMissingTable(SQLException e) {
    return dialect == Dialect.SQLITE
        ? String.valueOf(e.getMessage()).contains("no such table")
        : "42P01".equals(e.getSQLState());
  }

  private void withFileLock(Path lockFile, Runnable work) {
    try {
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      try (FileChannel ch =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        log.debug("Holding {} to migrate the store", lock);
        if (currentVersion() < SCHEMA_VERSION) {
          work.run();
        }
      }
    } catch (IOException e) {
      throw new StoreException("Cannot lock " + lockFile + " to migrate the metadata store: " + e.getMessage(), e);
    }
  }

  private io.prophecy.sdk.ProphecyException failure(String what, SQLException e) {
    if (isUniqueViolation(e)) {
      return new io.prophecy.sdk.ConflictException(
          "Another call made the same name at the same moment, so this one was not applied;"
              + " list what exists and try again with another name");
    }
    String hint =
        dialect == Dialect.SQLITE
            ? "; if another process holds the file for long, wait and try again"
            : "; check that the PostgreSQL server is reachable";
    return new StoreException(
        "Could not " + what + " the metadata store " + description + ": " + e.getMessage() + hint, e);
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** A JDBC URL with any password and user information removed. */
  public static String describe(String url) {
    if (url == null) {
      return "(no url)";
    }
    String noQuery = url.replaceAll("(?i)([?&;](password|pwd|sslpassword)=)[^&;]*", "$1****");
    return noQuery.replaceAll("//[^/@]*@", "//****@");
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface SqlFunction<T> {
    T apply(Connection c) throws SQLException;
  }
}

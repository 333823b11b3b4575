package io.prophecy.sdk.testing;

import io.prophecy.sdk.Prophecy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The metadata stores the contract tests run against. PostgreSQL is the server the README's test
 * command starts; its URL comes in the system property {@code prophecy.test.postgres.url}. Each test
 * gets a schema of its own.
 */
public enum Backend {
  SQLITE,
  POSTGRESQL;

  public static final String PG_PROPERTY = "prophecy.test.postgres.url";

  /** A builder for a fresh store of this backend under the home. */
  public Prophecy.Builder builder(Path home) {
    return Prophecy.builder().home(home).storeUrl(url(home));
  }

  /** The JDBC URL of a fresh store: a file under the home, or a new PostgreSQL schema. */
  public String url(Path home) {
    return this == SQLITE ? "jdbc:sqlite:" + home.resolve("prophecy.db") : freshSchemaUrl();
  }

  /** The base URL of the test PostgreSQL server; fails, saying how to get one, when there is none. */
  public static String postgresUrl() {
    String url = System.getProperty(PG_PROPERTY, "");
    if (url.isBlank()) {
      throw new IllegalStateException(
          "The PostgreSQL tests need a server: run scripts/test.sh, which installs and starts one,"
              + " or pass -D" + PG_PROPERTY + "=jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres");
    }
    return url;
  }

  private static String freshSchemaUrl() {
    String base = postgresUrl();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create a test schema on " + base + ": " + e.getMessage(), e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}

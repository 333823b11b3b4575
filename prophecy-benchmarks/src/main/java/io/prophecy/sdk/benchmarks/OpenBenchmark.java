package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Team;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of opening the SDK on an existing home, against the least a plain JDBC client does to
 * open the same SQLite store.
 *
 * <p>{@link #prophecyOpen} builds a {@link Prophecy} on a home made once per trial (a user, a team,
 * a project and the vault keyset) and closes it. {@link #plainJdbcOpen} opens one connection to the
 * same file with the pragmas the SDK sets (WAL, busy timeout, synchronous FULL, foreign keys), reads
 * the schema history as the SDK does to see the schema is current, and closes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OpenBenchmark {
  private Path home;
  private String url;
  private Properties pragmas;

  /** Makes the home once: the store, the master key, one user with a team and a project. */
  @Setup(Level.Trial)
  public void createHome() throws IOException {
    home = Files.createTempDirectory("prophecy-bench-open-");
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      prophecy.users().create("alice@example.com");
      Team team = prophecy.as("alice@example.com").teams().create("analytics");
      team.projects().create("shop");
      prophecy.vault().keyCount(); // writes the vault keyset and master.key, as a used home has
    }
    url = "jdbc:sqlite:" + home.resolve("prophecy.db");
    pragmas = Stores.sqlitePragmas();
  }

  @TearDown(Level.Trial)
  public void deleteHome() throws IOException {
    Stores.deleteTree(home);
  }

  /** Opens and closes the SDK. */
  @Benchmark
  public Object prophecyOpen() {
    Prophecy prophecy = Prophecy.builder().home(home).build();
    prophecy.close();
    return prophecy;
  }

  /** Baseline: one JDBC connection, the schema-version query, close. */
  @Benchmark
  public int plainJdbcOpen() throws SQLException {
    int applied = 0;
    try (Connection c = DriverManager.getConnection(url, pragmas);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, success FROM prophecy_schema_history")) {
      while (rs.next()) {
        if (rs.getString(1) != null && rs.getBoolean(2)) {
          applied++;
        }
      }
    }
    return applied;
  }

  /** Runs this class's benchmarks with the settings of its annotations. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(OpenBenchmark.class.getName()).build()).run();
  }
}

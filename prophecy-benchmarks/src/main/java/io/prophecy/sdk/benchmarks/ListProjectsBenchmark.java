package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
 * Listing one team's projects in a store of 10,000 projects, through the SDK against the same
 * SELECT over plain JDBC.
 *
 * <p>The trial's setup stores, through the SDK API, {@value #USERS} users and {@value #TEAMS} teams
 * of {@value #PROJECTS_PER_TEAM} projects each. Team {@code i} is created (as admin) by user
 * {@code i % USERS}, who adds user {@code (i + 1) % USERS} as a member, so the measured user belongs
 * to a fifth of the teams. {@link #sdkListProjects} lists one of its teams with an open
 * {@link Prophecy} and {@link Team} handle; {@link #jdbcListProjects} runs the SDK's listing query
 * on one open JDBC connection to the same file and reads every column into a {@link ProjectRow}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListProjectsBenchmark {
  static final int USERS = 10;
  static final int TEAMS = 1_000;
  static final int PROJECTS_PER_TEAM = 10;

  /** The team listed: created by user 0, the measured user. */
  private static final int MEASURED_TEAM = 500;

  /** A copy of the SDK's listing query, {@code ProjectsImpl.LIST_FOR_MEMBER}, with its order. */
  static final String LIST_SQL =
      "SELECT p.id, p.name, p.description, p.language, p.working_copy, p.git_remote, u.email, p.created_at"
          + " FROM projects p JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ?"
          + " JOIN users u ON u.id = p.created_by WHERE p.team_id = ?"
          + " ORDER BY p.name";

  /** One listed project, as a plain JDBC client would hold it. */
  record ProjectRow(String id, String name, String description, String language, String workingCopy,
      String gitRemote, String createdBy, long createdAt) {}

  private Path home;
  private Prophecy prophecy;
  private Team team;
  private Connection connection;
  private String userId;
  private String teamId;

  /** Fills a fresh home through the SDK and opens both the SDK and the JDBC connection. */
  @Setup(Level.Trial)
  public void createStore() throws IOException, SQLException {
    home = Files.createTempDirectory("prophecy-bench-list-");
    prophecy = Prophecy.builder().home(home).build();
    List<ProphecySession> sessions = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      prophecy.users().create(email(u));
      sessions.add(prophecy.as(email(u)));
    }
    for (int t = 0; t < TEAMS; t++) {
      Team created = sessions.get(t % USERS).teams().create(String.format("team-%04d", t));
      created.members().add(email((t + 1) % USERS), Role.MEMBER);
      for (int p = 0; p < PROJECTS_PER_TEAM; p++) {
        created.projects().create(String.format("project-%02d", p));
      }
    }
    team = sessions.get(0).teams().get(String.format("team-%04d", MEASURED_TEAM));
    userId = sessions.get(0).user().id();
    teamId = team.info().id();
    connection = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("prophecy.db"), Stores.sqlitePragmas());

    int viaSdk = sdkListProjects().size();
    int viaJdbc = jdbcListProjects().size();
    if (viaSdk != PROJECTS_PER_TEAM || viaJdbc != PROJECTS_PER_TEAM) {
      throw new IllegalStateException("Expected " + PROJECTS_PER_TEAM + " projects, the SDK listed " + viaSdk
          + " and JDBC " + viaJdbc);
    }
  }

  @TearDown(Level.Trial)
  public void deleteStore() throws IOException, SQLException {
    if (connection != null) {
      connection.close();
    }
    if (prophecy != null) {
      prophecy.close();
    }
    Stores.deleteTree(home);
  }

  /** The SDK: {@code team.projects().list()}. */
  @Benchmark
  public List<Project> sdkListProjects() {
    return team.projects().list();
  }

  /** Baseline: the same SELECT and parameters on an open connection, every column read. */
  @Benchmark
  public List<ProjectRow> jdbcListProjects() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(LIST_SQL)) {
      ps.setString(1, userId);
      ps.setString(2, teamId);
      try (ResultSet rs = ps.executeQuery()) {
        List<ProjectRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new ProjectRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8)));
        }
        return rows;
      }
    }
  }

  private static String email(int user) {
    return "user" + user + "@example.com";
  }

  /** Runs this class's benchmarks with the settings of its annotations. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(ListProjectsBenchmark.class.getName()).build()).run();
  }
}

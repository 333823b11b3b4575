package io.prophecy.sdk.spark;

import static io.prophecy.sdk.spark.SparkFixtures.SPARK_SQL;
import static io.prophecy.sdk.spark.SparkFixtures.WAIT;
import static io.prophecy.sdk.spark.SparkFixtures.rows;
import static io.prophecy.sdk.spark.SparkFixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionResult.Status;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.ResultTable;
import io.prophecy.sdk.spi.SessionOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark SQL through the SPI: results, types, limits, errors, cancellation. */
class SparkSqlSessionTest {
  /** A query that would run for ages: a count over a cross join of two ranges of 10^9 rows. */
  private static final String ENDLESS =
      "SELECT count(*) FROM range(1000000000) a CROSS JOIN range(1000000000) b WHERE a.id + b.id = -1";

  @TempDir static Path work;
  static FabricConnection connection;
  static ExecutionSession session;

  @BeforeAll
  static void connect() {
    connection = SparkFixtures.connect(work, Map.of());
    session = connection.openSession(SessionOptions.of(SPARK_SQL));
  }

  @AfterAll
  static void close() {
    connection.close();
  }

  @Test
  void aQueryGivesATableWithSparkTypesAndJavaValues() throws Exception {
    ExecutionResult r = sql(session, "SELECT 1 AS i, CAST(2 AS BIGINT) AS l, 'x' AS s, 1.5D AS d,"
        + " CAST(1.25 AS DECIMAL(10,2)) AS dec, true AS b, DATE'2024-01-02' AS dt,"
        + " TIMESTAMP'2024-01-02 03:04:05Z' AS ts, array(1, 2) AS arr, map('k', 1) AS m,"
        + " named_struct('a', 1, 'b', 'y') AS st, CAST(NULL AS STRING) AS n");

    assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(r.tables()).hasSize(1);
    ResultTable t = r.tables().get(0);
    assertThat(t.columns()).extracting(ResultTable.Column::type).containsExactly("int", "bigint", "string", "double",
        "decimal(10,2)", "boolean", "date", "timestamp", "array<int>", "map<string,int>", "struct<a:int,b:string>",
        "string");
    assertThat(t.columns()).extracting(ResultTable.Column::name).startsWith("i", "l", "s");
    assertThat(t.truncated()).isFalse();
    List<Object> row = t.rows().get(0);
    assertThat(row.subList(0, 8)).containsExactly(1, 2L, "x", 1.5, new BigDecimal("1.25"), true,
        LocalDate.of(2024, 1, 2), Instant.parse("2024-01-02T03:04:05Z"));
    assertThat(row.get(8)).isEqualTo(List.of(1, 2));
    assertThat(row.get(9)).isEqualTo(Map.of("k", 1));
    assertThat(row.get(10)).isEqualTo(Map.of("a", 1, "b", "y"));
    assertThat(row.get(11)).isNull();
  }

  @Test
  void severalStatementsRunInOrderAndEachQueryGivesATable() throws Exception {
    ExecutionResult r = sql(session, """
        CREATE OR REPLACE TEMP VIEW numbers AS SELECT id FROM range(5);  -- a comment; with a semicolon
        SELECT count(*) AS c FROM numbers;
        /* a block; comment */
        SELECT ';' AS semi, 'it\\'s' AS quoted, `odd;name`.id FROM numbers AS `odd;name` WHERE id = 4;
        """);

    assertThat(r.status()).as(r.error().orElse("")).isEqualTo(Status.SUCCEEDED);
    assertThat(r.tables()).hasSize(2);
    assertThat(r.tables().get(0).rows()).containsExactly(List.of(5L));
    assertThat(r.tables().get(1).rows()).containsExactly(List.of(";", "it's", 4L));
    // the temporary view lives on in the session
    assertThat(rows(session, "SELECT sum(id) FROM numbers")).containsExactly(List.of(10L));
  }

  @Test
  void resultsAreBoundedByTheRowLimitAndSayWhenTruncated() throws Exception {
    try (ExecutionSession small = connection.openSession(SessionOptions.builder().language(SPARK_SQL)
        .putConf("prophecy.maxResultRows", "3").build())) {
      ResultTable more = sql(small, "SELECT id FROM range(10) ORDER BY id DESC").tables().get(0);
      assertThat(more.rows()).containsExactly(List.of(9L), List.of(8L), List.of(7L));
      assertThat(more.truncated()).isTrue();
      ResultTable exact = sql(small, "SELECT id FROM range(3)").tables().get(0);
      assertThat(exact.rows()).hasSize(3);
      assertThat(exact.truncated()).isFalse();
    }
  }

  @Test
  void anAnalysisErrorFailsWithTheEnginesFirstLineAndItsDetail() throws Exception {
    ExecutionResult r = sql(session, "SELECT nope FROM range(1)");

    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.error()).hasValueSatisfying(e -> {
      assertThat(e).startsWith("[UNRESOLVED_COLUMN").contains("`nope`").doesNotContain("\n");
    });
    assertThat(r.errorDetail()).hasValueSatisfying(d -> assertThat(d).contains("AnalysisException").contains("nope"));
    assertThat(r.tables()).isEmpty();
  }

  @Test
  void aSyntaxErrorInTheSecondStatementSaysWhichStatement() throws Exception {
    ExecutionResult r = sql(session, "SELECT 1; SELEC 2");

    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).startsWith("statement 2 of 2: [PARSE_SYNTAX_ERROR]"));
    assertThat(r.errorDetail()).hasValueSatisfying(d -> assertThat(d).contains("SELEC 2"));
  }

  @Test
  void aRuntimeErrorInATaskReportsTheTasksErrorRatherThanTheJobAbort() throws Exception {
    try (ExecutionSession ansi = connection.openSession(SessionOptions.builder().language(SPARK_SQL)
        .putConf("spark.sql.ansi.enabled", "true").build())) {
      ExecutionResult r = sql(ansi, "SELECT 10 / (id - 2) FROM range(5)");

      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).startsWith("[DIVIDE_BY_ZERO]"));
      assertThat(r.errorDetail()).hasValueSatisfying(d -> assertThat(d).contains("Job aborted"));
    }
  }

  @Test
  void aLongQueryIsCancelledAndTheSessionStaysUsable() throws Exception {
    Execution running = session.submit(new CodeUnit("endless", SPARK_SQL, ENDLESS));
    Execution queued = session.submit(new CodeUnit("after", SPARK_SQL, "SELECT 1"));
    waitUntil(running, Status.RUNNING);
    assertThat(queued.status()).isEqualTo(Status.QUEUED);

    queued.cancel();
    running.cancel();

    assertThat(running.await(WAIT).status()).isEqualTo(Status.CANCELLED);
    assertThat(running.status()).isEqualTo(Status.CANCELLED);
    assertThat(queued.await(WAIT).status()).isEqualTo(Status.CANCELLED);
    assertThat(rows(session, "SELECT 40 + 2")).containsExactly(List.of(42));
  }

  @Test
  void awaitingTooLittleTimeNamesTheExecutionAndLeavesItRunning() throws Exception {
    Execution e = session.submit(new CodeUnit("endless", SPARK_SQL, ENDLESS));
    try {
      assertThatThrownBy(() -> e.await(Duration.ofMillis(200)))
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining(e.id())
          .hasMessageContaining("did not end within");
      assertThat(e.status().isFinal()).isFalse();
    } finally {
      e.cancel();
    }
    assertThat(e.await(WAIT).status()).isEqualTo(Status.CANCELLED);
  }

  @Test
  void otherLanguagesAndBadSessionSettingsAreRefused() {
    assertThatThrownBy(() -> session.submit(new CodeUnit("py", CodeLanguage.python(), "print(1)")))
        .isInstanceOf(ConnectorException.class).hasMessageContaining("Spark SQL");
    assertThatThrownBy(() -> connection.openSession(SessionOptions.of(CodeLanguage.sql("snowflake"))))
        .isInstanceOf(ConnectorException.class).hasMessageContaining("SQL(snowflake)");
    assertThatThrownBy(() -> connection.openSession(SessionOptions.builder().language(SPARK_SQL)
        .putConf("spark.executor.memory", "2g").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("session.conf.spark.executor.memory");
    assertThatThrownBy(() -> connection.openSession(SessionOptions.builder().language(SPARK_SQL)
        .putConf("prophecy.maxResultRows", "none").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("positive whole number");
  }

  @Test
  void sessionsHaveTheirOwnViewsAndAClosedSessionRefusesWork() throws Exception {
    ExecutionSession other = connection.openSession(SessionOptions.of(SPARK_SQL));
    assertThat(rows(other, "CREATE OR REPLACE TEMP VIEW mine AS SELECT 1 AS one; SELECT one FROM mine"))
        .containsExactly(List.of(1));
    assertThat(sql(session, "SELECT one FROM mine").error())
        .hasValueSatisfying(e -> assertThat(e).contains("TABLE_OR_VIEW_NOT_FOUND"));

    other.close();
    other.close();
    assertThatThrownBy(() -> other.submit(new CodeUnit("late", SPARK_SQL, "SELECT 1")))
        .isInstanceOf(ConnectorException.class).hasMessageContaining("closed");
  }

  static void waitUntil(Execution e, Status status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (e.status() != status) {
      if (System.nanoTime() > deadline || e.status().isFinal()) {
        throw new AssertionError("execution " + e.id() + " is " + e.status() + ", not " + status);
      }
      Thread.sleep(20);
    }
  }
}

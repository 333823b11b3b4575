package io.prophecy.sdk.spark;

import static io.prophecy.sdk.spark.SparkFixtures.SPARK_SQL;
import static io.prophecy.sdk.spark.SparkFixtures.rows;
import static io.prophecy.sdk.spark.SparkFixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.spark.internal.SparkFabricConnection;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult.Status;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several connections in one JVM: one shared Spark context, counted by reference; sessions kept apart;
 * closing is idempotent. Every test here ends with no connection open, so the context is stopped.
 */
class SparkConnectionsTest {
  @TempDir Path work;

  private static SparkContext context(FabricConnection c) {
    return ((SparkFabricConnection) c).spark().sparkContext();
  }

  @Test
  void twoConnectionsShareOneContextUntilTheLastCloses() throws Exception {
    FabricConnection alice = SparkFixtures.connect(work.resolve("alice"), Map.of());
    FabricConnection bob = new SparkFabricProvider().connect(SparkFixtures.config(Map.of()),
        io.prophecy.sdk.model.Credentials.none(), SparkFixtures.context(work.resolve("bob"), "bob@example.com"));
    SparkContext shared = context(alice);
    assertThat(context(bob)).isSameAs(shared);
    assertThat(shared.appName()).isEqualTo("prophecy-alice@example.com");

    ExecutionSession a = alice.openSession(SessionOptions.of(SPARK_SQL));
    ExecutionSession b = bob.openSession(SessionOptions.of(SPARK_SQL));
    assertThat(rows(a, "CREATE OR REPLACE TEMP VIEW secret AS SELECT 'alice' AS owner; SELECT owner FROM secret"))
        .containsExactly(List.of("alice"));
    assertThat(sql(b, "SELECT owner FROM secret").status()).isEqualTo(Status.FAILED);

    alice.close();
    alice.close();
    assertThat(shared.isStopped()).isFalse();
    assertThat(rows(b, "SELECT 1 + 1")).containsExactly(List.of(2));
    assertThatThrownBy(() -> a.submit(new CodeUnit("late", SPARK_SQL, "SELECT 1")))
        .isInstanceOf(ConnectorException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> alice.openSession(SessionOptions.of(SPARK_SQL)))
        .isInstanceOf(ConnectorException.class).hasMessageContaining("closed");

    bob.close();
    assertThat(shared.isStopped()).isTrue();
    assertThat(SparkSession.getDefaultSession().isDefined()).isFalse();

    try (FabricConnection again = SparkFixtures.connect(work.resolve("again"), Map.of())) {
      assertThat(context(again)).isNotSameAs(shared);
      assertThat(rows(again.openSession(SessionOptions.of(SPARK_SQL)), "SELECT 'back'")).containsExactly(List.of("back"));
    }
  }

  @Test
  void closingAConnectionCancelsItsRunningWorkAndStopsTheContext() throws Exception {
    FabricConnection c = SparkFixtures.connect(work, Map.of());
    ExecutionSession s = c.openSession(SessionOptions.of(SPARK_SQL));
    Execution endless = s.submit(new CodeUnit("endless", SPARK_SQL,
        "SELECT count(*) FROM range(1000000000) a CROSS JOIN range(1000000000) b WHERE a.id + b.id = -1"));
    SparkSqlSessionTest.waitUntil(endless, Status.RUNNING);

    c.close();

    assertThat(endless.await(SparkFixtures.WAIT).status()).isEqualTo(Status.CANCELLED);
    assertThat(context(c).isStopped()).isTrue();
    c.close();
  }

  @Test
  void aSecondFabricWithOtherContextSettingsIsRefusedWhileTheFirstRuns() {
    try (FabricConnection first = SparkFixtures.connect(work.resolve("first"), Map.of("conf", "spark.sql.shuffle.partitions=3"))) {
      assertThatThrownBy(() -> SparkFixtures.connect(work.resolve("second"), Map.of("master", "local[1]")))
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("master local[*] (asked: local[1])")
          .hasMessageContaining("one per JVM");
      assertThatThrownBy(() -> SparkFixtures.connect(work.resolve("second"),
          Map.of("conf", "spark.executor.memory=1g;spark.hadoop.fs.s3a.secret.key=hush")))
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("spark.executor.memory")
          .hasMessageNotContaining("hush");
      // runtime SQL settings are per session, so they do not clash
      try (FabricConnection other = SparkFixtures.connect(work.resolve("second"), Map.of("conf", "spark.sql.shuffle.partitions=5"))) {
        assertThat(((SparkFabricConnection) other).spark().conf().get("spark.sql.shuffle.partitions")).isEqualTo("5");
        assertThat(((SparkFabricConnection) first).spark().conf().get("spark.sql.shuffle.partitions")).isEqualTo("3");
      }
    }
  }

  @Test
  void malformedSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> SparkFixtures.connect(work, Map.of("conf", "spark.sql.shuffle.partitions")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("fabric.settings.conf");
    assertThatThrownBy(() -> SparkFixtures.connect(work, Map.of("conf", "spark.master=local[2]")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'master'");
    assertThatThrownBy(() -> SparkFixtures.connect(work, Map.of("ui", "yes")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("fabric.settings.ui");
    assertThatThrownBy(() -> SparkFixtures.connect(work, Map.of("pathMappings", "dbfs:/")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("fabric.settings.pathMappings");
  }
}

package io.prophecy.sdk.spark;

import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PipelinePlan.Kind;
import io.prophecy.sdk.spi.PipelinePlan.Probe;
import io.prophecy.sdk.spi.PipelinePlan.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Connections, SQL and hand-built plan steps for the tests. */
final class SparkFixtures {
  static final CodeLanguage SPARK_SQL = CodeLanguage.sql("spark");
  static final Duration WAIT = Duration.ofMinutes(3);

  private SparkFixtures() {}

  static ConnectorContext context(Path work, String email) {
    return new ConnectorContext() {
      @Override
      public String userAgent() {
        return "prophecy-spark-test";
      }

      @Override
      public Path workDirectory() {
        return work;
      }

      @Override
      public String userEmail() {
        return email;
      }
    };
  }

  static FabricConfig config(Map<String, String> settings) {
    return FabricConfig.builder().fabricId("f1").name("dev").kind("spark").team("analytics").settings(settings).build();
  }

  static FabricConnection connect(Path work, Map<String, String> settings) {
    return new SparkFabricProvider().connect(config(settings), Credentials.none(), context(work, "alice@example.com"));
  }

  static ExecutionResult sql(ExecutionSession session, String text) throws InterruptedException {
    return session.submit(new CodeUnit("test", SPARK_SQL, text)).await(WAIT);
  }

  /** Runs SQL that must succeed and returns its last table's rows. */
  static List<List<Object>> rows(ExecutionSession session, String text) throws InterruptedException {
    ExecutionResult r = sql(session, text);
    if (r.status() != ExecutionResult.Status.SUCCEEDED) {
      throw new AssertionError("SQL failed: " + r.error().orElse("?") + "\n" + r.errorDetail().orElse(""));
    }
    return r.tables().get(r.tables().size() - 1).rows();
  }

  static Step read(String gem, DatasetSpec dataset) {
    return new Step(gem, Kind.READ, gem, "", Optional.of(dataset), Optional.empty(), false, List.of(), List.of());
  }

  static Step transform(String gem, String sql, String... inputs) {
    return new Step(gem, Kind.TRANSFORM, gem, sql, Optional.empty(), Optional.empty(), false, List.of(inputs), List.of());
  }

  static Step transform(String gem, String sql, List<Probe> probes, String... inputs) {
    return new Step(gem, Kind.TRANSFORM, gem, sql, Optional.empty(), Optional.empty(), false, List.of(inputs), probes);
  }

  static Step write(String gem, String view, DatasetSpec dataset, String mode) {
    return new Step(gem, Kind.WRITE, view, "SELECT * FROM `" + view + "`", Optional.of(dataset), Optional.of(mode),
        false, List.of(view), List.of());
  }

  static Step sampled(Step s) {
    return new Step(s.gem(), s.kind(), s.view(), s.sql(), s.dataset(), s.writeMode(), true, s.inputs(), s.probes());
  }

  static PipelinePlan plan(String name, int sampleRows, Step... steps) {
    return new PipelinePlan(name, List.of(steps), sampleRows);
  }
}

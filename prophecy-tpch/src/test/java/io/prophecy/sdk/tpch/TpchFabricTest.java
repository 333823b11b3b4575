package io.prophecy.sdk.tpch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Interim;
import io.prophecy.sdk.Interims;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.RunOptions;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.tpch.Engines.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each query's pipeline run interactively on the embedded Spark fabric through the public API
 * ({@code pipeline.run(fabric)}), in a project whose datasets are the TPC-H tables. The fabric adopts
 * the Spark context the test started, so the plain query runs on the same SparkSession's context: the
 * output gem's sample (the whole result: every query returns at most 20 rows) must equal the query's
 * rows value for value; without interims every gem's row count must equal the count with them.
 */
class TpchFabricTest {
  static final List<Integer> QUERIES = TpchQueries.NUMBERS;
  static final Duration LIMIT = Duration.ofMinutes(5);

  @TempDir static Path home;
  private static SparkSession spark;
  private static Prophecy prophecy;
  private static Fabric fabric;
  private static Project javaProject;
  private static Project fileProject;

  @BeforeAll
  static void start() {
    Path data = Engines.data();
    spark = Engines.spark("tpch-fabric");
    Engines.registerSpark(spark, data);
    prophecy = Prophecy.builder().home(home).build();
    Team team = prophecy.as(prophecy.users().create("analyst@example.com")).teams().create("tpch");
    fabric = team.fabrics().create(FabricSpec.of("spark", "local"));
    javaProject = project(team, "tpch_java", data);
    fileProject = project(team, "tpch_files", data);
    for (int q : QUERIES) {
      javaProject.pipelines().create(TpchPipelines.pipeline(q));
      fileProject.pipelines().create(TpchPipelines.workflow(q));
    }
  }

  private static Project project(Team team, String name, Path data) {
    Project p = team.projects().create(name);
    for (String table : TpchData.TABLES) {
      p.datasets().create(TpchData.dataset(table, data));
    }
    return p;
  }

  @AfterAll
  static void stop() {
    if (prophecy != null) {
      prophecy.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  private static Run run(Pipeline p, RunOptions options) throws InterruptedException {
    Run run = p.run(fabric, options.timeout(LIMIT));
    assertThat(run.await(LIMIT)).as("run of %s ended", p.name()).isTrue();
    assertThat(run.status()).as("%s: %s", p.name(), run.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    return run;
  }

  /** The plain query on the test's session, with dates as the SDK's samples give them. */
  private static Table expected(int query) {
    Table t = Engines.collect(spark.sql(TpchQueries.sql(query)));
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> row : t.rows()) {
      rows.add(row.stream().map(v -> v instanceof java.sql.Date d ? (Object) d.toLocalDate() : v).toList());
    }
    return new Table(t.columns(), rows);
  }

  private static Table result(Run run, int query) {
    Interim out = run.interim(TpchPipelines.output(query));
    assertThat(out.sample().rows()).as("the sample holds the whole result").hasSize((int) out.rows());
    return new Table(out.columns(), out.sample().rows());
  }

  private static Map<String, Long> counts(Run run) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (GemMetrics g : run.metrics()) {
      m.put(g.gem(), g.rows());
    }
    return m;
  }

  @ParameterizedTest(name = "Q{0}")
  @FieldSource("QUERIES")
  void theJavaPipelineOnTheFabricGivesTheQueryResultAndTheSameCountsWithoutInterims(int query) throws Exception {
    Pipeline p = javaProject.pipelines().get(TpchPipelines.name(query));
    Run sampled = run(p, RunOptions.defaults().sampleRows(100));
    Table expected = expected(query);
    assertThat(expected.rows()).isNotEmpty();
    Compare.sameEngine("Q" + query + " on the fabric", expected, result(sampled, query));
    assertThat(counts(sampled)).containsEntry(TpchPipelines.output(query), (long) expected.rows().size())
        .containsOnlyKeys(TpchPipelines.pipeline(query).gems().stream().map(g -> g.name()).toList());

    Run fused = run(p, RunOptions.defaults().interims(Interims.NONE).countRows(true));
    assertThat(fused.interims()).isEmpty();
    assertThat(counts(fused)).as("Q%s gem counts without interims", query).isEqualTo(counts(sampled));
    Run quiet = run(p, RunOptions.defaults().interims(Interims.NONE));
    assertThat(quiet.interims()).isEmpty();
    assertThat(counts(quiet)).as("Q%s without interims: only the output gem's count", query)
        .isEqualTo(Map.of(TpchPipelines.output(query), (long) expected.rows().size()));
  }

  @ParameterizedTest(name = "Q{0}")
  @FieldSource("QUERIES")
  void theWorkflowFileOnTheFabricGivesTheQueryResult(int query) throws Exception {
    Pipeline p = fileProject.pipelines().get(TpchPipelines.name(query));
    Run run = run(p, RunOptions.defaults().interims(Interims.ALL).sampleRows(100));
    Compare.sameEngine("Q" + query + " workflow file on the fabric", expected(query), result(run, query));
  }
}

package io.prophecy.sdk.tpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.tpch.Engines.Table;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each query's pipeline, built in Java and read from its workflow file, compiled to Spark SQL by the
 * SDK and run on Spark, against the query's plain Spark SQL on the same session: the rows must be
 * equal value for value and type for type.
 */
class TpchPipelineTest {
  static final List<Integer> QUERIES = TpchQueries.NUMBERS;

  private static SparkSession spark;
  private static DatasetLookup datasets;

  @BeforeAll
  static void start() {
    Path data = Engines.data();
    datasets = TpchData.lookup(data);
    spark = Engines.spark("tpch-pipelines");
    Engines.registerSpark(spark, data);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Table run(PipelineGraph graph, int query) {
    return Engines.collect(spark.sql(SparkSqlCompiler.query(graph, datasets, TpchPipelines.output(query))));
  }

  @ParameterizedTest(name = "Q{0}")
  @FieldSource("QUERIES")
  void theJavaPipelineGivesTheQueryResult(int query) {
    PipelineGraph graph = TpchPipelines.pipeline(query);
    assertThat(graph.validate(datasets)).as("diagnostics of " + graph.name()).filteredOn(Diagnostic::isError).isEmpty();

    Table expected = Engines.collect(spark.sql(TpchQueries.sql(query)));
    assertThat(expected.rows()).isNotEmpty();
    Compare.sameEngine("Q" + query + " Java pipeline", expected, run(graph, query));
  }

  @ParameterizedTest(name = "Q{0}")
  @FieldSource("QUERIES")
  void theWorkflowFileGivesTheSameResultAsTheJavaPipeline(int query) {
    PipelineGraph fromFile = TpchPipelines.workflow(query);
    assertThat(fromFile.validate(datasets)).as("diagnostics of " + TpchPipelines.workflowResource(query))
        .filteredOn(Diagnostic::isError).isEmpty();

    Compare.sameEngine("Q" + query + " workflow file", run(TpchPipelines.pipeline(query), query), run(fromFile, query));
  }

  @ParameterizedTest(name = "Q{0}")
  @FieldSource("QUERIES")
  void theWorkflowFileDescribesTheJavaPipelineGemForGem(int query) {
    PipelineGraph built = TpchPipelines.pipeline(query);
    PipelineGraph fromFile = TpchPipelines.workflow(query);

    assertThat(shape(fromFile)).isEqualTo(shape(built));
    for (Gem gem : built.gems()) {
      Gem other = fromFile.gem(gem.name());
      assertThat(other.id()).as("the file's process id of " + gem.name()).isNotEqualTo(gem.name());
      assertThat(other.spec()).as("the properties of " + gem.name()).isEqualTo(gem.spec());
    }
  }

  /** Each gem's label with the labels of the gems it reads, by input slug. */
  private static Map<String, Map<String, String>> shape(PipelineGraph g) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Gem gem : g.gems().stream().sorted(java.util.Comparator.comparing(Gem::name)).toList()) {
      Map<String, String> inputs = new LinkedHashMap<>();
      g.upstream(gem).forEach((slug, up) -> inputs.put(slug, up.gem().name()));
      out.put(gem.name() + " (" + gem.component() + ")", inputs);
    }
    return out;
  }

  @Test
  void aMistypedColumnIsReportedWithTheGemAndFieldBeforeRunning() {
    ObjectNode json = (ObjectNode) TpchPipelines.workflowJson(1);
    ((ObjectNode) json.at("/processes/Aggregate_40214/properties/groupBy/0/expression")).put("expression", "l_returnflg");
    PipelineGraph broken = PipelineGraph.fromWorkflow("tpch_q1_broken", json);

    List<Diagnostic> errors = broken.validate(datasets).stream().filter(Diagnostic::isError).toList();

    assertThat(errors).hasSize(1);
    Diagnostic d = errors.get(0);
    assertThat(d.gem()).contains("Revenue_By_Flag");
    assertThat(d.location()).contains("groupBy[0].expression");
    assertThat(d.message()).contains("l_returnflg").contains("l_returnflag");
  }

  @Test
  void aMistypedColumnInsideAnExpressionFailsOnSparkAtItsGem() {
    ObjectNode json = (ObjectNode) TpchPipelines.workflowJson(12);
    ((ObjectNode) json.at("/processes/Reformat_30935/properties/expressions/1/expression")).put("expression",
        "CASE WHEN o_orderprioirty = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END");
    PipelineGraph broken = PipelineGraph.fromWorkflow("tpch_q12_broken", json);

    // the static checks cannot see inside the CASE expression; Spark's analysis can
    assertThat(broken.validate(datasets)).filteredOn(Diagnostic::isError).isEmpty();
    assertThatThrownBy(() -> spark.sql(SparkSqlCompiler.query(broken, datasets, TpchPipelines.output(12))))
        .isInstanceOf(AnalysisException.class).hasMessageContaining("o_orderprioirty");

    // gem by gem (a view per gem, as the compiler's steps name them), the failure is the Reformat's
    String failedAt = null;
    String message = null;
    try {
      for (SparkSqlCompiler.GemSql step : SparkSqlCompiler.steps(broken, datasets, Map.of(), Map.of())) {
        try {
          switch (step.kind()) {
            case READ -> Engines.read(spark, step.dataset().orElseThrow()).createOrReplaceTempView(step.view());
            case TRANSFORM -> spark.sql(step.sql()).createOrReplaceTempView(step.view());
            case WRITE -> throw new AssertionError("the TPC-H pipelines write nothing, but " + step.gem() + " does");
          }
        } catch (Exception e) { // Spark throws its checked AnalysisException without declaring it
          assertThat(e).isInstanceOf(AnalysisException.class);
          failedAt = step.gem();
          message = e.getMessage();
          break;
        }
      }
    } finally {
      // the Source views ("Orders", "Lineitem") replaced the tables' views of the same names
      Engines.registerSpark(spark, Engines.data());
    }
    assertThat(failedAt).isEqualTo("Priority_Class");
    assertThat(message).contains("o_orderprioirty");
  }
}

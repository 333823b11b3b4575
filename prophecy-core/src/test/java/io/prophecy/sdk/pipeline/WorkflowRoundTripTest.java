package io.prophecy.sdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.pipeline.GemSpec.DedupType;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.GemSpec.RepartitionType;
import io.prophecy.sdk.pipeline.GemSpec.SetOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Reading a workflow file and writing the unchanged graph gives the same bytes; built pipelines read back equal. */
class WorkflowRoundTripTest {

  @ParameterizedTest
  @CsvSource({"python_shop,all_gems", "python_shop,transpiled", "python_shop,dbfs_report", "python_shop,no_dataset",
      "python_shop,unlisted_one", "scala_shop,enrich"})
  void aFileInProphecysFormattingIsWrittenBackByteForByte(String project, String pipeline) throws Exception {
    String text = Fixtures.text(Fixtures.workflow(project, pipeline));
    PipelineGraph graph = PipelineGraph.fromWorkflow(pipeline, WorkflowWriter.readTree(text));
    assertThat(graph.gems()).isNotEmpty();
    assertThat(WorkflowWriter.write(graph)).isEqualTo(text);
  }

  @Test
  void theWriterUsesProphecysLayout() {
    String text = WorkflowWriter.write(PipelineGraph.of("tiny", p -> p
        .source("Orders", "orders")
        .target("Out", "Orders", "out")
        .target("Copy", "Orders", "copy")));
    assertThat(text).startsWith("{\n  \"metainfo\" : {\n    \"migrationVersions\" : {\n")
        .contains("\n  \"connections\" : [ {\n    \"id\" : ", "\"udfs\" : [ ],", "\"functions\" : { },",
            "\"sharedFunctionPackageNames\" : [ ]", "\n  }, {\n", "\"outputs\" : [ ],")
        .doesNotContain("\r", "\":")
        .endsWith("\n}");
    assertThat(text.indexOf("\"connections\"")).isLessThan(text.indexOf("\"processes\""));
    assertThat(text.indexOf("\"processes\"")).isLessThan(text.lastIndexOf("\"ports\""));
  }

  /** Every gem type, a subgraph, configuration and a Todo, as a user would build them. */
  static PipelineGraph everyGem(String language) {
    return PipelineGraph.of("every_gem", p -> p
        .language(language)
        .config("min_amount", "double", "10")
        .config("region", "string", "EU")
        .configInstance("prod", Map.of("region", "US"))
        .source("Orders", "orders")
        .source("Customers", "datasets/customers")
        .source("Returns", "returns")
        .reformat("Cleaned", "Orders", r -> r.column("order_id", "order_id").column("amount", "cast(amount as double)")
            .column("region", "'$region'"))
        .filter("Big", "Cleaned", "amount > ${min_amount}")
        .join("WithCustomer", List.of("Big", "Customers", "Returns"), j -> j
            .on("in1", "in0.customer_id = in1.customer_id", JoinType.LEFT_OUTER)
            .on("in2", "in0.order_id = in2.order_id", JoinType.LEFT_ANTI)
            .column("order_id", "in0.order_id").column("country", "in1.country")
            .where("in0.amount > 0"))
        .aggregate("ByCountry", "WithCustomer", a -> a.groupBy("country").agg("orders", "count(1)"))
        .aggregate("Pivoted", "WithCustomer", a -> a.groupBy("order_id").agg("n", "count(1)").pivot("country", "DE", "FR"))
        .orderBy("Sorted", "ByCountry", o -> o.desc("orders").asc("country"))
        .limit("Top", "Sorted", 10)
        .deduplicate("FirstOrder", "Cleaned", DedupType.FIRST, List.of("order_id"), o -> o.asc("amount"))
        .deduplicate("Distinct", "Cleaned", DedupType.DISTINCT)
        .setOperation("Both", SetOp.UNION_ALL, "FirstOrder", "Distinct")
        .unionByName("ByName", true, "Both", "Returns")
        .schemaTransform("Shaped", "ByName", s -> s.addOrReplace("amount_eur", "amount * 0.92").drop("amount")
            .rename("amount_eur", "amount"))
        .repartition("Spread", "Shaped", RepartitionType.HASH, 8, "order_id")
        .repartition("Fewer", "Spread", RepartitionType.COALESCE, 2)
        .window("Ranked", "Fewer", w -> w.partitionBy("order_id").orderBy(o -> o.desc("amount"))
            .column("rank", "row_number()"))
        .sql("Summary", List.of("Ranked", "Top"), "SELECT count(*) AS n FROM in0 JOIN in1 ON true")
        .script("Tagged", List.of("Summary"), language.equals("scala") ? "val out0 = in0" : "out0 = in0")
        .subgraph("Scoring", List.of("Tagged"), s -> s
            .reformat("Score", "in0", r -> r.column("n", "n"))
            .filter("High", "Score", "n > 1")
            .output("High"))
        .gem("Later", new GemSpec.Other("Todo", todo()), "Scoring")
        .target("Report", "Later", "order_report"));
  }

  private static ObjectNode todo() {
    ObjectNode n = Json.object();
    n.put("error", "not converted");
    n.put("code", "<component/>");
    n.put("numOutports", 1);
    return n;
  }

  @ParameterizedTest
  @CsvSource({"python", "scala"})
  void aBuiltPipelineWrittenAndReadBackEqualsTheOriginal(String language) throws Exception {
    PipelineGraph built = everyGem(language);
    String text = WorkflowWriter.write(built);
    PipelineGraph read = PipelineGraph.fromWorkflow("every_gem", WorkflowWriter.readTree(text));
    assertThat(read).isEqualTo(built);
    assertThat(read.readProblems()).isEmpty();
    for (Gem g : built.gems()) {
      assertThat(read.gem(g.name()).spec()).as(g.name()).isEqualTo(g.spec());
      assertThat(read.gem(g.name()).inputs()).as(g.name()).isEqualTo(g.inputs());
      assertThat(read.gem(g.name()).outputs()).as(g.name()).isEqualTo(g.outputs());
    }
    assertThat(read.connections()).isEqualTo(built.connections());
    assertThat(read.configuration()).isEqualTo(built.configuration());
    PipelineGraph sub = read.gem("Scoring").subgraph().orElseThrow();
    assertThat(sub.gems()).extracting(Gem::name).containsExactly("Score", "High");
    assertThat(sub.gem("Score").spec()).isEqualTo(built.gem("Scoring").subgraph().orElseThrow().gem("Score").spec());
    // Deterministic: the same pipeline gives the same text, and the text survives a second trip.
    assertThat(WorkflowWriter.write(everyGem(language))).isEqualTo(text);
    assertThat(WorkflowWriter.write(read)).isEqualTo(text);
  }

  @Test
  void builtGemsTakeTheShapesProphecyWrites() {
    PipelineGraph g = everyGem("python");
    ObjectNode meta = g.metainfo();
    assertThat(meta.get("uri").asText()).isEqualTo("pipelines/every_gem");
    assertThat(meta.get("buildSystem").asText()).isEqualTo("maven");
    assertThat(meta.path("configuration").path("isSubscribedPipelineWithPipelineConfigs").asBoolean(true)).isFalse();
    assertThat(meta.path("configuration").has("oldCommon")).isTrue();
    assertThat(g.gem("Top").properties().get("limit").isTextual()).isTrue();
    assertThat(g.gem("Top").properties().get("limit").asText()).isEqualTo("10");
    var step = g.gem("Shaped").properties().path("transformations").get(0);
    assertThat(step.path("AddReplaceColumn").path("sourceColumn").asText()).isEqualTo("amount_eur");
    assertThat(step.has("DropColumn")).isTrue();
    assertThat(step.has("RenameColumn")).isTrue();
    assertThat(g.gem("Tagged").properties().path("scriptMethodHeader").asText())
        .isEqualTo("def Script(spark: SparkSession, in0: DataFrame) -> DataFrame:");
    assertThat(g.gem("Tagged").properties().has("language")).isFalse();
    assertThat(g.gem("Cleaned").properties().toString()).doesNotContain("${$");
    ObjectNode scoring = g.gem("Scoring").toJson();
    assertThat(List.of(scoring.fieldNames().next())).containsExactly("id");
    assertThat(fieldOrder(scoring)).containsSubsequence("properties", "connections", "processes", "externalDependencies");
    var inner = scoring.path("connections");
    String subId = g.gem("Scoring").id();
    assertThat(inner.get(0).path("source").asText()).isEqualTo(subId);
    assertThat(inner.get(0).path("sourcePort").asText()).isEqualTo(g.gem("Scoring").inputs().get(0).id());
    assertThat(inner.get(inner.size() - 1).path("target").asText()).isEqualTo(subId);
    assertThat(inner.get(inner.size() - 1).path("targetPort").asText()).isEqualTo(g.gem("Scoring").outputs().get(0).id());
    assertThat(fieldOrder((ObjectNode) g.gem("ByCountry").properties()))
        .containsExactly("allIns", "doPivot", "aggregate", "allowSelection", "pivotColumn", "pivotValues", "activeTab",
            "columnsSelector", "groupBy");
  }

  private static List<String> fieldOrder(ObjectNode node) {
    List<String> out = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

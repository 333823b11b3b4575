package io.prophecy.sdk.codegen;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Expression;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.GemSpec.DedupType;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.GemSpec.RepartitionType;
import io.prophecy.sdk.pipeline.GemSpec.SetOp;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pipelines for the generator tests: one that uses every gem type the SDK generates (with a subgraph,
 * configuration and a pivot), over small CSV datasets whose results are easy to work out by hand.
 */
final class CodegenFixtures {
  /** Secret values that appear in the datasets and settings and must never reach generated code. */
  static final List<String> SECRETS = List.of("hunter2-db-pass", "tok-9f8e7d6c5b4a", "s3cr3t-url-pass",
      "conf-secret-77", "spark-key-0xfeed");

  private CodegenFixtures() {}

  /** Orders, customers and the outputs, as files under {@code dir}. */
  static DatasetLookup datasets(Path dir) {
    Map<String, DatasetSpec> all = new LinkedHashMap<>();
    all.put("orders", DatasetSpec.builder().name("orders").format("csv").path(dir.resolve("orders.csv").toString())
        .putOptions("header", "true").putOptions("separator", ",")
        .addSchema(DatasetSpec.Column.of("order_id", "int"), DatasetSpec.Column.of("customer_id", "int"),
            DatasetSpec.Column.of("amount", "double"), DatasetSpec.Column.of("status", "string"))
        .build());
    all.put("customers", DatasetSpec.builder().name("customers").format("csv")
        .path(dir.resolve("customers.csv").toString()).putOptions("header", "true")
        .addSchema(DatasetSpec.Column.of("id", "int"), DatasetSpec.Column.of("name", "string"),
            DatasetSpec.Column.of("country", "string"))
        .build());
    for (String out : List.of("revenue", "detail", "pivoted", "top")) {
      all.put(out, DatasetSpec.builder().name(out).format("csv").path(dir.resolve("out").resolve(out).toString())
          .putOptions("header", "true").putOptions("writeMode", "overwrite").build());
    }
    return id -> Optional.ofNullable(all.get(DatasetLookup.nameOf(id)));
  }

  /**
   * A pipeline as a workflow file holds it: a Script gem with two outputs, labels that are not
   * identifiers ({@code Sum by country}) or are keywords ({@code from}), ports with Prophecy's ids.
   */
  static PipelineGraph multiOutputWorkflow(String language) {
    String code = language.equals("scala")
        ? "val out0 = in0.filter(\"amount > 50\")\nval out1 = in0.filter(\"amount <= 50\")"
        : "out0 = in0.filter(\"amount > 50\")\nout1 = in0.filter(\"amount <= 50\")";
    String workflow = """
        {"metainfo": {"id": "multi", "language": "%s", "frontEndLanguage": "sql"},
         "processes": {
           "Src_1": {"id": "Src_1", "component": "Source", "metadata": {"label": "Orders"},
             "ports": {"inputs": [], "outputs": [{"id": "p_src", "slug": "out"}]},
             "properties": {"datasetId": "datasets/orders"}},
           "Script_7": {"id": "Script_7", "component": "Script", "metadata": {"label": "Split"},
             "ports": {"inputs": [{"id": "p_s_in", "slug": "in0"}],
                       "outputs": [{"id": "p_s_o0", "slug": "out0"}, {"id": "p_s_o1", "slug": "out1"}]},
             "properties": {"script": %s, "language": "%s"}},
           "Filter_3": {"id": "Filter_3", "component": "Filter", "metadata": {"label": "from"},
             "ports": {"inputs": [{"id": "p_f_in", "slug": "in0"}], "outputs": [{"id": "p_f_out", "slug": "out"}]},
             "properties": {"condition": {"format": "sql", "expression": "status = 'PAID'"}}},
           "Agg_1": {"id": "Agg_1", "component": "Aggregate", "metadata": {"label": "Sum by country"},
             "ports": {"inputs": [{"id": "p_a_in", "slug": "in0"}], "outputs": [{"id": "p_a_out", "slug": "out"}]},
             "properties": {"groupBy": [{"target": "status", "expression": {"format": "sql", "expression": "status"}}],
               "aggregate": [{"target": "total", "expression": {"format": "sql", "expression": "sum(amount)"}}]}},
           "Tgt_1": {"id": "Tgt_1", "component": "Target", "metadata": {"label": "Big"},
             "ports": {"inputs": [{"id": "p_t1_in", "slug": "in0"}], "outputs": []},
             "properties": {"datasetId": "datasets/revenue"}},
           "Tgt_2": {"id": "Tgt_2", "component": "Target", "metadata": {"label": "Small"},
             "ports": {"inputs": [{"id": "p_t2_in", "slug": "in0"}], "outputs": []},
             "properties": {"datasetId": "datasets/detail"}}
         },
         "connections": [
           {"id": "c1", "source": "Src_1", "sourcePort": "p_src", "target": "Script_7", "targetPort": "p_s_in"},
           {"id": "c2", "source": "Script_7", "sourcePort": "p_s_o1", "target": "Filter_3", "targetPort": "p_f_in"},
           {"id": "c3", "source": "Filter_3", "sourcePort": "p_f_out", "target": "Agg_1", "targetPort": "p_a_in"},
           {"id": "c4", "source": "Script_7", "sourcePort": "p_s_o0", "target": "Tgt_1", "targetPort": "p_t1_in"},
           {"id": "c5", "source": "Agg_1", "sourcePort": "p_a_out", "target": "Tgt_2", "targetPort": "p_t2_in"}
         ]}
        """.formatted(language, jsonString(code), language);
    try {
      return PipelineGraph.fromWorkflow("multi", new com.fasterxml.jackson.databind.ObjectMapper().readTree(workflow));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** Datasets that carry secrets in options, URLs and paths. */
  static DatasetLookup secretDatasets() {
    Map<String, DatasetSpec> all = new LinkedHashMap<>();
    all.put("orders", DatasetSpec.builder().name("orders").format("jdbc").table("public.orders")
        .putOptions("url", "jdbc:postgresql://db.example.com:5432/shop?user=etl&password=" + SECRETS.get(2) + "&ssl=true")
        .putOptions("user", "etl").putOptions("password", SECRETS.get(0)).putOptions("token", SECRETS.get(1))
        .build());
    all.put("revenue", DatasetSpec.builder().name("revenue").format("parquet")
        .path("s3a://etl:" + SECRETS.get(2) + "@bucket/revenue").putOptions("writeMode", "append")
        .putOptions("fs.s3a.secret.key", SECRETS.get(1)).build());
    return id -> Optional.ofNullable(all.get(DatasetLookup.nameOf(id)));
  }

  /** A pipeline that reads and writes secret-bearing datasets and has a secret configuration field. */
  static PipelineGraph secretPipeline() {
    return PipelineGraph.of("secrets", p -> p
        .config("db_password", "string", SECRETS.get(3))
        .config("region", "string", "EU")
        .configInstance("prod", Map.of("db_password", SECRETS.get(3), "region", "US"))
        .source("Orders", "orders")
        .filter("Recent", "Orders", "region = '$region'")
        .target("Revenue", "Recent", "revenue"));
  }

  /**
   * Every gem type. Scripts are written in the pipeline's language; {@code language} is python or scala.
   * Expected results with instance {@code prod} ({@code min_amount} 25) and {@code -O {"label": "nightly"}}:
   * see {@code ScalaGeneratorTest}.
   */
  static PipelineGraph allGems(String language) {
    String script = language.equals("scala")
        ? "val out = in0.withColumn(\"source\", lit(\"script\"))"
        : "out = in0.withColumn(\"source\", lit(\"script\"))";
    return PipelineGraph.of("all_gems", p -> p
        .language(language)
        .config("min_amount", "double", "10")
        .config("label", "string", "all")
        .config("top_n", "int", "1")
        .configInstance("prod", Map.of("min_amount", "25"))
        .source("Orders", "orders")
        .source("Customers", "customers")
        // Filter with configuration references of both kinds
        .filter("Paid", "Orders", "status = 'PAID' AND amount >= ${min_amount}")
        .join("With_Customer", List.of("Paid", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.INNER)
            .columns("in0.order_id", "in0.customer_id", "in0.amount", "in1.country"))
        .aggregate("By_Country", "With_Customer", a -> a.groupBy("country")
            .agg("revenue", "sum(amount)").agg("orders", "count(*)"))
        .reformat("Labelled", "By_Country", r -> r.columns("country", "revenue", "orders").column("label", "'$label'"))
        .orderBy("Sorted", "Labelled", o -> o.asc("country"))
        .target("Revenue", "Sorted", "revenue")
        // windows, schema steps, deduplication, set operations
        .window("Ranked", "Paid", w -> w.partitionBy("customer_id").orderBy(o -> o.desc("amount"))
            .column("rn", "row_number()"))
        .gem("Running", new GemSpec.WindowFunction(List.of(Expression.sql("customer_id")),
            List.of(new GemSpec.Order(Expression.sql("order_id"), GemSpec.SortType.ASC)),
            List.of(GemSpec.Column.of("running", "sum(amount)")),
            Optional.of("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")), "Ranked")
        .schemaTransform("Cleaned", "Running", s -> s.addOrReplace("big", "amount > 60").drop("status")
            .rename("amount", "value"))
        .deduplicate("Firsts", "Paid", DedupType.FIRST, List.of("customer_id"), o -> o.desc("amount"))
        .deduplicate("Uniques", "Paid", DedupType.UNIQUE_ONLY, "customer_id")
        .setOperation("Both", SetOp.UNION_ALL, "Firsts", "Uniques")
        .deduplicate("Distinct", "Both", DedupType.DISTINCT)
        .unionByName("Widened", true, "Distinct", "Cleaned")
        .deduplicate("Any_Per_Customer", "Distinct", DedupType.ANY, "customer_id")
        .repartition("Spread", "Distinct", RepartitionType.HASH, 2, "customer_id")
        .sql("Ranks", List.of("Spread", "Cleaned"),
            "SELECT in0.order_id, in0.customer_id, in1.rn, in1.running\nFROM in0 JOIN in1 ON in0.order_id = in1.order_id;")
        .script("Tagged", List.of("Ranks"), script)
        .subgraph("Top_Ranked", List.of("Tagged"), sg -> sg
            .filter("First_Only", "in0", "rn = 1")
            .reformat("Slim", "First_Only", r -> r.columns("order_id", "customer_id", "running", "source"))
            .output("Slim"))
        .target("Detail", "Top_Ranked", "detail")
        // pivot, order and limit
        .aggregate("By_Status", "Orders", a -> a.groupBy("customer_id").agg("total", "sum(amount)")
            .pivot("status", "PAID", "OPEN"))
        .orderBy("By_Customer", "By_Status", o -> o.asc("customer_id"))
        .target("Pivoted", "By_Customer", "pivoted")
        .orderBy("Largest", "Widened", o -> o.desc("amount"))
        .gem("Top_N", new GemSpec.Limit(Expression.sql("${top_n}")), "Largest")
        .repartition("One_File", "Top_N", RepartitionType.COALESCE, 1)
        .target("Top", "One_File", "top"));
  }
}

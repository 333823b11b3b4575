package io.prophecy.sdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.model.DatasetSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineModelTest {
  static final DatasetLookup DATASETS = id -> switch (DatasetLookup.nameOf(id)) {
    case "orders" -> Optional.of(DatasetSpec.builder().name("orders").format("csv").path("/data/orders.csv")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("customer_id", "long"),
            DatasetSpec.Column.of("amount", "double"), DatasetSpec.Column.of("status", "string")).build());
    case "customers" -> Optional.of(DatasetSpec.builder().name("customers").format("csv").path("/data/customers.csv")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("country", "string")).build());
    case "revenue" -> Optional.of(DatasetSpec.builder().name("revenue").format("parquet").path("/out/revenue").build());
    default -> Optional.empty();
  };

  static PipelineGraph daily() {
    return PipelineGraph.of("daily", p -> p
        .config("min_amount", "double", "10")
        .source("Orders", "orders")
        .source("Customers", "customers")
        .filter("Paid", "Orders", "status = 'PAID' AND amount >= '$min_amount'")
        .join("With_Customer", List.of("Paid", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", GemSpec.JoinType.INNER)
            .columns("in0.amount", "in1.country"))
        .aggregate("By_Country", "With_Customer", a -> a.groupBy("country").agg("revenue", "sum(amount)"))
        .target("Revenue", "By_Country", "revenue"));
  }

  @Test
  void aBuiltPipelineValidatesAndReadsBackEqualFromItsWorkflowJson() throws Exception {
    PipelineGraph g = daily();
    assertThat(g.validate(DATASETS)).isEmpty();
    String json = new ObjectMapper().writeValueAsString(g.toWorkflow());
    PipelineGraph back = PipelineGraph.fromWorkflow("daily", new ObjectMapper().readTree(json));
    assertThat(back).isEqualTo(g);
    assertThat(back.gem("With_Customer").spec()).isEqualTo(g.gem("With_Customer").spec());
    assertThat(back.configuration()).isEqualTo(g.configuration());
    assertThat(g.topologicalOrder()).extracting(Gem::name)
        .containsExactly("Orders", "Customers", "Paid", "With_Customer", "By_Country", "Revenue");
  }

  @Test
  void schemasFlowThroughTheGemsAndBareColumnsAreChecked() {
    PipelineGraph g = PipelineGraph.of("bad", p -> p
        .source("Orders", "orders")
        .select("Slim", "Orders", "id", "amount")
        .reformat("Typo", "Slim", r -> r.column("x", "amout").column("y", "amount * 2").column("x", "id")));
    assertThat(g.knownColumns(DATASETS)).containsEntry("Slim", List.of("id", "amount"));
    assertThat(g.validate(DATASETS)).extracting(Diagnostic::toString).contains(
        "ERROR gem 'Typo' at expressions[0].expression: column 'amout' does not exist in the input; its columns: [id, amount]",
        "ERROR gem 'Typo' at expressions[2].target: output column 'x' is defined twice");
  }

  @Test
  void duplicateOutputColumnsAreFoundWhateverTheCaseAndHowManyColumns() {
    // up to 16 columns are compared pairwise, more through a set: both report the same way
    for (int width : new int[] {3, 16, 17, 40}) {
      PipelineGraph g = PipelineGraph.of("wide", p -> p
          .source("Orders", "orders")
          .reformat("Wide", "Orders", r -> {
            for (int i = 0; i < width - 1; i++) {
              r.column("c" + i, "id");
            }
            r.column("C1", "amount"); // the last column repeats c1 in other letters
          }));
      assertThat(g.validate(DATASETS)).as("%d columns", width).extracting(Diagnostic::toString)
          .filteredOn(d -> d.startsWith("ERROR"))
          .containsExactly("ERROR gem 'Wide' at expressions[" + (width - 1) + "].target: output column 'C1' is defined twice");
    }
  }

  @Test
  void workflowProblemsBecomeDiagnosticsNamingGemAndField() throws Exception {
    ObjectNode w = daily().toWorkflow();
    ObjectNode processes = (ObjectNode) w.get("processes");
    ((ObjectNode) processes.get("Paid")).put("component", "Todo");
    ((ObjectNode) processes.get("By_Country").get("properties")).putArray("aggregate").addObject()
        .put("target", "n").putObject("expression").put("format", "sql").put("expression", " ");
    ((ObjectNode) processes.get("Revenue").get("properties")).put("datasetId", "datasets/nowhere");
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    assertThat(g.validate(DATASETS)).extracting(Diagnostic::toString).contains(
        "ERROR gem 'Paid' at component: a Todo gem is a placeholder a conversion tool left; replace it with a real gem",
        "ERROR gem 'By_Country' at aggregate[0].expression: the expression is empty",
        "ERROR gem 'Revenue' at properties.datasetId: dataset 'datasets/nowhere' is not a dataset of the project");
  }

  @Test
  void anInputTakesTheFirstConnectionIntoItThatLeavesAnOutputOfAGem() {
    PipelineGraph built = daily();
    String paidIn = built.gem("Paid").inputs().get(0).id();
    String customersOut = built.gem("Customers").outputs().get(0).id();
    ObjectNode w = built.toWorkflow();
    var cs = w.withArray("connections");
    // ahead of Paid's own connection (from Orders): one from a port Customers lacks, one from no gem;
    // after it, a second one from Customers
    cs.insertObject(0).put("id", "c_port").put("source", "Customers").put("sourcePort", "Customers_nowhere")
        .put("target", "Paid").put("targetPort", paidIn);
    cs.insertObject(0).put("id", "c_ghost").put("source", "Ghost").put("sourcePort", "Ghost_out")
        .put("target", "Paid").put("targetPort", paidIn);
    cs.addObject().put("id", "c_second").put("source", "Customers").put("sourcePort", customersOut)
        .put("target", "Paid").put("targetPort", paidIn);
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    assertThat(g.upstream(g.gem("Paid"))).extractingFromEntries(e -> e.getKey() + "<-" + e.getValue().gem().name()
        + "@" + e.getValue().position()).containsExactly("in0<-Orders@0");
    // every connection between two gems orders them, the one from a missing port too
    assertThat(g.topologicalOrder()).extracting(Gem::name)
        .containsExactly("Orders", "Customers", "Paid", "With_Customer", "By_Country", "Revenue");
    assertThat(g.validate(DATASETS)).extracting(Diagnostic::toString).contains(
        "ERROR gem 'Paid' at connection c_ghost: connects Ghost to Paid, but Ghost is not a gem of this pipeline",
        "ERROR gem 'Customers' at connection c_port: leaves from port Customers_nowhere, which is not an output of this gem",
        "ERROR gem 'Paid' at in0: input in0 has 4 connections; an input takes one");
  }

  @Test
  void aCycleIsReportedNamingItsGems() throws Exception {
    ObjectNode w = daily().toWorkflow();
    // Paid reads from By_Country: Paid -> With_Customer -> By_Country -> Paid
    w.withArray("connections").forEach(c -> {
      if (c.get("target").asText().equals("Paid")) {
        ((ObjectNode) c).put("source", "By_Country").put("sourcePort", "By_Country_out");
      }
    });
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    assertThat(g.validate(DATASETS)).anySatisfy(d -> {
      assertThat(d.isError()).isTrue();
      assertThat(d.message()).contains("[By_Country, Paid, With_Customer] form a cycle");
    });
    assertThatThrownBy(() -> SparkSqlCompiler.steps(g, DATASETS, Map.of(), Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("form a cycle");
  }

  @Test
  void unknownJoinTypeAndUnconnectedInputAreDiagnostics() throws Exception {
    ObjectNode w = daily().toWorkflow();
    ObjectNode join = (ObjectNode) w.get("processes").get("With_Customer").get("properties");
    ((ObjectNode) join.get("conditions").get(0)).put("joinType", "sideways");
    w.withArray("connections").removeIf(c -> c.get("target").asText().equals("Revenue"));
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    assertThat(g.validate(DATASETS)).extracting(Diagnostic::toString).doesNotContain(
        "ERROR gem 'With_Customer' at component: gem type 'Join' is not one the SDK compiles; supported: Source, "
            + "Target, Reformat, Filter, Join, Aggregate, OrderBy, Limit, Deduplicate, SetOperation, SchemaTransform, "
            + "Repartition, WindowFunction, SQLStatement, Script, Subgraph").contains(
        "ERROR gem 'With_Customer' at properties.conditions[0].joinType: 'sideways' is not a join type; use inner, left_outer, "
            + "right_outer, full_outer, left_semi, left_anti or cross",
        "ERROR gem 'Revenue' at in0: input in0 is not connected");
  }

  @Test
  void sparkSqlIsDeterministicReadableAndResolvesConfiguration() {
    String script = SparkSqlCompiler.script(daily(), DATASETS, Map.of("min_amount", "25"));
    assertThat(script).isEqualTo(SparkSqlCompiler.script(daily(), DATASETS, Map.of("min_amount", "25")));
    assertThat(script).contains("""
        -- Filter Paid
        CREATE OR REPLACE TEMPORARY VIEW `Paid` AS
        SELECT *
        FROM `Orders`
        WHERE status = 'PAID' AND amount >= 25;
        """).contains("""
        CREATE OR REPLACE TEMPORARY VIEW `With_Customer` AS
        SELECT in0.amount AS `amount`,
               in1.country AS `country`
        FROM `Paid` AS in0
        INNER JOIN `Customers` AS in1 ON in0.customer_id = in1.id;
        """).contains("""
        CREATE OR REPLACE TEMPORARY VIEW `Orders` (`id` LONG, `customer_id` LONG, `amount` DOUBLE, `status` STRING)
        USING csv
        OPTIONS (`path` '/data/orders.csv');
        """);
    String query = SparkSqlCompiler.query(daily(), DATASETS, "By_Country");
    // the Source gems are named otherwise than their tables: the query names them by the gems' names
    assertThat(query).startsWith("WITH `Orders` AS (\n  SELECT * FROM `orders`\n),\n`Customers` AS (\n"
        + "  SELECT * FROM `customers`\n),\n`Paid` AS (").endsWith("GROUP BY country").contains("amount >= 10");
  }

  @Test
  void aScriptGemCannotBeSparkSqlAndTheErrorNamesIt() {
    PipelineGraph g = PipelineGraph.of("s", p -> p.source("Orders", "orders")
        .script("Custom", List.of("Orders"), "out0 = in0"));
    assertThatThrownBy(() -> SparkSqlCompiler.steps(g, DATASETS, Map.of(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("gem 'Custom' script: a Script gem holds python code");
  }

  @Test
  void knownColumnsReuseAValidationOnlyWhileTheLookupGivesTheSameDatasets() {
    PipelineGraph g = PipelineGraph.of("slim", p -> p.source("Orders", "orders").select("Slim", "Orders", "id", "amount")
        .filter("Big", "Slim", "amount > 10"));
    Map<String, DatasetSpec> held = new java.util.concurrent.ConcurrentHashMap<>();
    held.put("orders", DATASETS.find("orders").orElseThrow());
    DatasetLookup lookup = id -> Optional.ofNullable(held.get(DatasetLookup.nameOf(id)));
    assertThat(g.validate(lookup)).filteredOn(Diagnostic::isError).isEmpty();
    Map<String, List<String>> first = g.knownColumns(lookup);
    assertThat(first).containsExactly(Map.entry("Orders", List.of("id", "customer_id", "amount", "status")),
        Map.entry("Slim", List.of("id", "amount")), Map.entry("Big", List.of("id", "amount")));
    // a new map on every call: what a caller does to one is not seen in the next
    first.clear();
    assertThat(g.knownColumns(lookup)).containsKeys("Orders", "Slim", "Big");

    // the same lookup now gives another schema: the columns follow it
    held.put("orders", DatasetSpec.builder().name("orders").format("csv").path("/data/orders.csv")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("total", "double")).build());
    assertThat(g.knownColumns(lookup)).containsEntry("Orders", List.of("id", "total"));
    assertThat(g.validate(lookup)).extracting(Diagnostic::toString).contains(
        "ERROR gem 'Slim' at expressions[1].expression: column 'amount' does not exist in the input; its columns: [id, total]");
    // the dataset gone: its schema is not known (Slim's columns still are, from its own list)
    held.clear();
    assertThat(g.knownColumns(lookup)).containsOnlyKeys("Slim", "Big");
    assertThat(g.knownColumns(DATASETS)).containsEntry("Orders", List.of("id", "customer_id", "amount", "status"));
    assertThat(g.knownColumns(DatasetLookup.NONE)).containsOnlyKeys("Slim", "Big");
  }

  @Test
  void knownColumnsByPositionFollowTheGemsAndUpstreamPositionsPointIntoThem() {
    PipelineGraph g = PipelineGraph.of("slim", p -> p.source("Orders", "orders").source("Lost", "nowhere")
        .select("Slim", "Orders", "id", "amount").unionByName("Both", true, "Slim", "Lost"));
    List<Optional<List<String>>> byPosition = g.knownColumnsByPosition(DATASETS);
    assertThat(byPosition).hasSize(g.gems().size());
    Map<String, List<String>> byName = g.knownColumns(DATASETS);
    for (int i = 0; i < g.gems().size(); i++) {
      assertThat(byPosition.get(i)).as(g.gems().get(i).name())
          .isEqualTo(Optional.ofNullable(byName.get(g.gems().get(i).name())));
    }
    assertThat(byPosition.get(1)).as("a dataset the lookup does not know").isEmpty();
    assertThatThrownBy(() -> byPosition.set(0, Optional.empty())).isInstanceOf(UnsupportedOperationException.class);
    for (Gem gem : g.gems()) {
      g.upstream(gem).values().forEach(u -> assertThat(g.gems().get(u.position())).isSameAs(u.gem()));
    }
    assertThat(g.upstream(g.gem("Both"))).extractingFromEntries(e -> e.getKey() + "@" + e.getValue().position())
        .containsExactly("in0@2", "in1@1");
    // a gem of an equal graph built again: its inputs in this graph, at this graph's positions
    PipelineGraph again = PipelineGraph.of("slim", p -> p.source("Orders", "orders").source("Lost", "nowhere")
        .select("Slim", "Orders", "id", "amount").unionByName("Both", true, "Slim", "Lost"));
    assertThat(again.gem("Both")).isNotSameAs(g.gem("Both"));
    assertThat(g.upstream(again.gem("Both"))).isEqualTo(g.upstream(g.gem("Both")));
    assertThat(g.upstream(again.gem("Slim")).get("in0").gem()).isSameAs(g.gem("Orders"));
  }

  @Test
  void theCompilerReadsInputColumnsFromTheSchemaFlowAndTheEngineOverridesThem() {
    PipelineGraph g = PipelineGraph.of("shape", p -> p.source("Orders", "orders")
        .select("Slim", "Orders", "id", "amount")
        .schemaTransform("Shaped", "Slim", s -> s.addOrReplace("amount", "amount * 2").drop("id"))
        .unionByName("Both", true, "Orders", "Slim"));
    Map<String, String> sql = new java.util.HashMap<>();
    SparkSqlCompiler.steps(g, DATASETS, Map.of(), Map.of()).forEach(s -> sql.put(s.gem(), s.sql()));
    assertThat(sql.get("Shaped")).isEqualTo("SELECT (amount * 2) AS `amount`\nFROM `Slim`");
    // union by name lines up the second input on the first one's columns, which it must know
    assertThat(sql.get("Both")).isEqualTo("SELECT `id`, `customer_id`, `amount`, `status` FROM `Orders`\nUNION ALL\n"
        + "SELECT `id`, NULL AS `customer_id`, `amount`, NULL AS `status` FROM `Slim`");
    // without allowMissingColumns, an input lacking a column of in0 is an error naming the gem and the input
    PipelineGraph strict = PipelineGraph.of("strict", p -> p.source("Orders", "orders")
        .select("Slim", "Orders", "id", "amount").unionByName("Both", false, "Orders", "Slim"));
    assertThatThrownBy(() -> SparkSqlCompiler.steps(strict, DATASETS, Map.of(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("gem 'Both' in1: input in1 (Slim) has no column 'customer_id'; set allowMissingColumns to fill it with nulls");
    // columns the engine resolved win over what the dataset schemas say
    SparkSqlCompiler.steps(g, DATASETS, Map.of(), Map.of("Slim", List.of("id", "amount", "note")))
        .forEach(s -> sql.put(s.gem(), s.sql()));
    assertThat(sql.get("Shaped")).isEqualTo("SELECT (amount * 2) AS `amount`,\n       `note`\nFROM `Slim`");
    // without schemas the gems that need them say so, naming the gem and the input
    DatasetLookup noSchema = id -> Optional.of(DatasetSpec.builder().name("orders").format("parquet").path("/o").build());
    assertThatThrownBy(() -> SparkSqlCompiler.steps(g, noSchema, Map.of(), Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("gem 'Both' in0")
        .hasMessageContaining("needs the columns of its input in0 (Orders)");
  }

  @Test
  void gemsInsideASubgraphKnowTheColumnsOfItsInputsAndOfEachOther() {
    PipelineGraph g = PipelineGraph.of("s", p -> p.source("Orders", "orders")
        .subgraph("Sub", List.of("Orders"), sg -> sg
            .schemaTransform("Open", "in0", s -> s.drop("status")) // the columns of Orders, from outside
            .filter("Big", "Open", "amount > 10")
            .schemaTransform("Lean", "Big", s -> s.drop("customer_id")) // passed on by Big, from outside
            .select("Slim", "Lean", "id", "amount")
            .schemaTransform("Shaped", "Slim", s -> s.drop("id")) // the columns of Slim, inside
            .output("Shaped")));
    Map<String, String> sql = new java.util.HashMap<>();
    SparkSqlCompiler.steps(g, DATASETS, Map.of(), Map.of()).forEach(s -> sql.put(s.view(), s.sql()));
    assertThat(sql.get("Sub__Open")).isEqualTo("SELECT `id`,\n       `customer_id`,\n       `amount`\nFROM `Orders`");
    assertThat(sql.get("Sub__Lean")).isEqualTo("SELECT `id`,\n       `amount`\nFROM `Sub__Big`");
    assertThat(sql.get("Sub__Shaped")).isEqualTo("SELECT `amount`\nFROM `Sub__Slim`");
    assertThat(sql.get("Sub")).isEqualTo("SELECT * FROM `Sub__Shaped`");
    assertThat(g.knownColumnsInside(g.gem("Sub"), Map.of("in0", List.of("a", "b")), DATASETS))
        .containsEntry("Big", List.of("a", "b")).containsEntry("Slim", List.of("id", "amount"));
    assertThatThrownBy(() -> g.knownColumnsInside(g.gem("Orders"), Map.of(), DATASETS))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("gem 'Orders' of pipeline 's' is not a Subgraph gem");
    PipelineGraph other = PipelineGraph.of("t", p -> p.source("Orders", "orders")
        .subgraph("Elsewhere", List.of("Orders"), sg -> sg.filter("All", "in0", "true").output("All")));
    assertThatThrownBy(() -> g.knownColumnsInside(other.gem("Elsewhere"), Map.of(), DATASETS))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("gem 'Elsewhere' is not a gem of pipeline 's'");
    assertThatThrownBy(() -> g.knownColumnsInside(g.gem("Sub"), Map.of("in0", java.util.Arrays.asList("a", null)), DATASETS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gem 'Sub' of pipeline 's': the columns given for input in0 hold a null column name");
  }

  @Test
  void columnsFlowIntoASubgraphAndOutOfItForValidation() {
    PipelineGraph g = PipelineGraph.of("s", p -> p.source("Orders", "orders")
        .subgraph("Sub", List.of("Orders"), sg -> sg
            .filter("Big", "in0", "amount > 10") // passes the columns of Orders on
            .select("Slim", "Big", "id", "amout") // a column Orders does not have
            .output("Slim"))
        .select("After", "Sub", "id", "status")); // Sub gives only id and amout
    assertThat(g.validate(DATASETS)).extracting(Diagnostic::toString).contains(
        "ERROR gem 'Sub/Slim' at expressions[1].expression: column 'amout' does not exist in the input; its columns: [id, customer_id, amount, status]",
        "ERROR gem 'After' at expressions[1].expression: column 'status' does not exist in the input; its columns: [id, amout]");
    assertThat(g.knownColumns(DATASETS)).containsEntry("Sub", List.of("id", "amout"));
    // without the dataset's schema the subgraph's input is not known, and Slim is not checked
    DatasetLookup noSchema = id -> Optional.of(DatasetSpec.builder().name("orders").format("parquet").path("/o").build());
    assertThat(g.validate(noSchema)).extracting(Diagnostic::toString).noneMatch(d -> d.contains("gem 'Sub/Slim'"));
  }

  @Test
  void problemsOfConnectionsAreTheSameOnEveryValidation() throws Exception {
    ObjectNode w = daily().toWorkflow();
    w.withArray("connections").forEach(c -> {
      if (c.get("target").asText().equals("By_Country")) {
        ((ObjectNode) c).put("targetPort", "nowhere");
      }
    });
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    List<Diagnostic> first = g.validate(DATASETS);
    assertThat(first).extracting(Diagnostic::toString).contains(
        "ERROR gem 'By_Country' at in0: input in0 is not connected");
    assertThat(first).anySatisfy(d -> assertThat(d.toString()).contains("arrives at port nowhere"));
    List<Diagnostic> copy = List.copyOf(first);
    first.clear(); // the caller's list: the graph keeps its own
    assertThat(g.validate(DATASETS)).isEqualTo(copy);
    assertThat(g.validate(DATASETS)).isEqualTo(copy);
  }

  @Test
  void theWiredOrderIsTheDependencyOrderWithEachGemsInputs() throws Exception {
    PipelineGraph g = daily();
    assertThat(g.wiredOrder()).extracting(PipelineGraph.Wired::gem).containsExactlyElementsOf(g.topologicalOrder());
    for (PipelineGraph.Wired w : g.wiredOrder()) {
      assertThat(w.inputs()).as(w.gem().name()).isEqualTo(g.upstream(w.gem()));
    }
    assertThat(g.wiredOrder().get(3).inputs()).extractingFromEntries(e -> e.getKey() + "<-" + e.getValue().gem().name())
        .containsExactly("in0<-Paid", "in1<-Customers");
    ObjectNode w = daily().toWorkflow();
    w.withArray("connections").forEach(c -> {
      if (c.get("target").asText().equals("Paid")) {
        ((ObjectNode) c).put("source", "By_Country").put("sourcePort", "By_Country_out");
      }
    });
    PipelineGraph cyclic = PipelineGraph.fromWorkflow("daily", w);
    assertThatThrownBy(cyclic::wiredOrder).isInstanceOf(IllegalStateException.class).hasMessageContaining("form a cycle");
  }

  @Test
  void aGraphReadFromJsonDoesNotChangeWhenThatJsonDoes() throws Exception {
    String text = WorkflowWriter.write(daily());
    ObjectNode w = (ObjectNode) WorkflowWriter.readTree(text);
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    ObjectNode paid = (ObjectNode) w.get("processes").get("Paid");
    ((ObjectNode) paid.get("metadata")).put("x", 12345);
    ((ObjectNode) paid.get("properties")).put("condition", "changed");
    paid.put("extra", 1.10);
    assertThat(WorkflowWriter.write(g)).isEqualTo(text);
    // what the gem gives is a copy too
    ((ObjectNode) g.gem("Paid").toJson()).put("id", "other");
    ((ObjectNode) g.gem("Paid").properties()).put("condition", "other");
    assertThat(WorkflowWriter.write(g)).isEqualTo(text);
  }

  @Test
  void windowExpressionsWithTheirOwnOverClauseAreLeftAsTheyAreAndNamesAreQuoted() {
    PipelineGraph g = PipelineGraph.of("windows", p -> p
        .source("Orders", "orders")
        .window("Ranked", "Orders", w -> w.partitionBy("status").orderBy(o -> o.desc("amount"))
            .column("rn", "row_number()")
            .column("prev", "lag(amount) OVER (ORDER BY id)")
            .column("total", "SUM(amount) Over(PARTITION BY status)")
            .column("it`s", "amount - overhead")));
    SparkSqlCompiler.GemSql ranked = SparkSqlCompiler.steps(g, DATASETS, Map.of(), Map.of()).stream()
        .filter(s -> s.gem().equals("Ranked")).findFirst().orElseThrow();
    assertThat(ranked.sql()).isEqualTo("SELECT *,\n"
        + "       row_number() OVER (PARTITION BY status ORDER BY amount DESC) AS `rn`,\n"
        + "       lag(amount) OVER (ORDER BY id) AS `prev`,\n"
        + "       SUM(amount) Over(PARTITION BY status) AS `total`,\n"
        + "       amount - overhead OVER (PARTITION BY status ORDER BY amount DESC) AS `it``s`\n"
        + "FROM `Orders`");
  }

  @Test
  void aWorkflowTreeHoldingNaNIsKeptAndWrittenBack() throws Exception {
    ObjectNode w = daily().toWorkflow();
    ((ObjectNode) w.get("processes").get("Paid").get("metadata")).put("x", Double.NaN);
    ((ObjectNode) w.get("processes").get("Orders").get("metadata")).put("label", "Orders (NaN or Infinity)");
    PipelineGraph g = PipelineGraph.fromWorkflow("daily", w);
    assertThat(g.gem("Orders (NaN or Infinity)").toJson()).isEqualTo(w.get("processes").get("Orders"));
    assertThat(g.toWorkflow().get("processes").get("Paid").get("metadata").get("x").doubleValue()).isNaN();
    assertThat(g.gem("Paid").toJson().path("metadata").path("x").isDouble()).isTrue();
  }
}

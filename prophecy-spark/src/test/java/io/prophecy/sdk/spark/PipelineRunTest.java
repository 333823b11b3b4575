package io.prophecy.sdk.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Interim;
import io.prophecy.sdk.Interims;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.RunOptions;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.GemSpec.DedupType;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.GemSpec.RepartitionType;
import io.prophecy.sdk.pipeline.GemSpec.SetOp;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every gem type the embedded fabric runs, through the public API ({@code pipeline.run(fabric)}) on real
 * Spark, with each gem's row count and output worked out by hand from the test's data; and bad input
 * (a bad expression, a missing column, a cycle and an unknown gem type in a workflow file, a Script gem)
 * reported naming the gem and the field. One Spark context for the class; the test's own connection
 * reads back what the targets wrote.
 */
class PipelineRunTest {
  /** order_id, customer_id, amount, status. Customer 4 has no customer record; customer 5 no order. */
  static final String ORDERS = """
      order_id,customer_id,amount,status
      1,1,100.0,PAID
      2,1,50.0,PAID
      3,2,30.0,PAID
      4,2,70.0,OPEN
      5,3,25.0,PAID
      6,4,10.0,CANCELLED
      7,3,40.0,OPEN
      8,1,20.0,PAID
      """;
  static final String CUSTOMERS = """
      id,name,country
      1,Ann,DE
      2,Bob,FR
      3,Cy,DE
      5,Eve,US
      """;

  @TempDir static Path dir;
  static Prophecy prophecy;
  static Team team;
  static Fabric fabric;
  static Project project;
  static FabricConnection held;

  static ExecutionSession heldSession;

  @BeforeAll
  static void setUp() {
    prophecy = Prophecy.builder().home(dir.resolve("home")).build();
    team = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics");
    fabric = team.fabrics().create(FabricSpec.builder().kind("spark").name("dev")
        .putSettings("master", "local[2]").build());
    held = fabric.connect();
    heldSession = held.openSession(SessionOptions.of(SparkFixtures.SPARK_SQL));
    project = team.projects().create("every_gem");
    write("data/orders.csv", ORDERS);
    write("data/customers.csv", CUSTOMERS);
    project.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
        .putOptions("header", "true")
        .addSchema(Column.of("order_id", "int"), Column.of("customer_id", "int"), Column.of("amount", "double"),
            Column.of("status", "string"))
        .build());
    project.datasets().create(DatasetSpec.builder().name("customers").format("csv").path("data/customers.csv")
        .putOptions("header", "true")
        .addSchema(Column.of("id", "int"), Column.of("name", "string"), Column.of("country", "string"))
        .build());
    // a source whose schema is not declared: only the engine knows its columns
    write("data/events.json", "{\"id\": 1, \"kind\": \"click\"}\n{\"id\": 2, \"kind\": \"view\"}\n");
    project.datasets().create(DatasetSpec.builder().name("events").format("json").path("data/events.json").build());
    // one Delta table under three datasets: overwrite, append, and its first version
    project.datasets().create(DatasetSpec.builder().name("orders_delta").format("delta").path("out/orders_delta")
        .putOptions("writeMode", "overwrite").build());
    project.datasets().create(DatasetSpec.builder().name("orders_delta_more").format("delta").path("out/orders_delta")
        .putOptions("writeMode", "append").build());
    project.datasets().create(DatasetSpec.builder().name("orders_delta_first").format("delta").path("out/orders_delta")
        .putOptions("versionAsOf", "0").build());
    project.datasets().create(DatasetSpec.builder().name("orders_merged").format("delta").path("out/orders_merged")
        .putOptions("writeMode", "merge").build());
    for (String out : List.of("revenue", "detail", "pivoted", "joins", "sets")) {
      project.datasets().create(DatasetSpec.builder().name(out).format("parquet").path("out/" + out)
          .putOptions("writeMode", "overwrite").build());
    }
  }

  @AfterAll
  static void tearDown() {
    if (heldSession != null) {
      heldSession.close();
    }
    if (held != null) {
      held.close();
    }
    if (prophecy != null) {
      prophecy.close();
    }
  }

  static void write(String relative, String text) {
    try {
      Path file = project.workingCopy().resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every gem type but Script (which runs only as generated code; see the test below). */
  static void everyGem(PipelineBuilder p) {
    p.config("min_amount", "double", "25")
        .config("label", "string", "daily")
        .source("Orders", "orders")
        .source("Customers", "customers")
        .filter("Paid", "Orders", "status = 'PAID' AND amount >= ${min_amount}")
        .join("With_Customer", List.of("Paid", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.INNER)
            .columns("in0.order_id", "in0.customer_id", "in0.amount", "in1.country"))
        .aggregate("By_Country", "With_Customer", a -> a.groupBy("country")
            .agg("revenue", "sum(amount)").agg("orders", "count(*)"))
        .reformat("Labelled", "By_Country", r -> r.columns("country", "revenue", "orders").column("label", "'$label'"))
        .orderBy("Sorted", "Labelled", o -> o.desc("revenue"))
        .limit("Top_One", "Sorted", 1)
        .target("Revenue", "Sorted", "revenue")
        // every join type, and a join of three inputs
        .join("Left_Join", List.of("Orders", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.LEFT_OUTER).columns("in0.order_id", "in1.country"))
        .join("Right_Join", List.of("Orders", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.RIGHT_OUTER).columns("in0.order_id", "in1.id"))
        .join("Full_Join", List.of("Orders", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.FULL_OUTER).columns("in0.order_id", "in1.id"))
        .join("Customers_With_Orders", List.of("Customers", "Orders"), j -> j
            .on("in1", "in0.id = in1.customer_id", JoinType.LEFT_SEMI).columns("in0.id", "in0.name"))
        .join("Customers_Without_Orders", List.of("Customers", "Orders"), j -> j
            .on("in1", "in0.id = in1.customer_id", JoinType.LEFT_ANTI).columns("in0.id", "in0.name"))
        .join("Every_Pair", List.of("Top_One", "Customers"), j -> j
            .on("in1", "true", JoinType.CROSS).columns("in0.country", "in1.name"))
        .join("Three_Way", List.of("Paid", "Customers", "Orders"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.INNER)
            .on("in2", "in2.customer_id = in1.id AND in2.status = 'OPEN'", JoinType.INNER)
            .column("paid_id", "in0.order_id").column("open_id", "in2.order_id").columns("in1.name")
            .where("in2.amount > 50"))
        .target("Joins", "Three_Way", "joins")
        // windows, schema steps, deduplication, set operations, repartitioning
        .window("Ranked", "Orders", w -> w.partitionBy("customer_id").orderBy(o -> o.desc("amount"))
            .column("rn", "row_number()"))
        .schemaTransform("Cleaned", "Ranked", s -> s.addOrReplace("big", "amount > 60").drop("status")
            .rename("amount", "value"))
        .deduplicate("Firsts", "Orders", DedupType.FIRST, List.of("customer_id"), o -> o.desc("amount"))
        .deduplicate("Lasts", "Orders", DedupType.LAST, List.of("customer_id"), o -> o.desc("amount"))
        .deduplicate("Uniques", "Orders", DedupType.UNIQUE_ONLY, "customer_id")
        .deduplicate("Any_Per_Customer", "Orders", DedupType.ANY, "customer_id")
        .setOperation("Both", SetOp.UNION_ALL, "Firsts", "Uniques")
        .deduplicate("Distinct", "Both", DedupType.DISTINCT)
        .setOperation("In_Both", SetOp.INTERSECT_ALL, "Firsts", "Lasts")
        .setOperation("Firsts_Only", SetOp.EXCEPT_ALL, "Firsts", "Lasts")
        .unionByName("Widened", true, "Distinct", "Cleaned")
        .repartition("Spread", "Widened", RepartitionType.HASH, 2, "customer_id")
        .repartition("One_File", "Spread", RepartitionType.COALESCE, 1)
        .target("Sets", "One_File", "sets")
        // SQL over two inputs, a subgraph, a pivot
        .sql("Ranks", List.of("Firsts", "Cleaned"),
            "SELECT in0.order_id, in0.customer_id, in1.rn\nFROM in0 JOIN in1 ON in0.order_id = in1.order_id")
        .subgraph("Top_Ranked", List.of("Ranks"), sg -> sg
            .filter("First_Only", "in0", "rn = 1")
            .reformat("Slim", "First_Only", r -> r.columns("order_id", "customer_id"))
            .output("Slim"))
        .target("Detail", "Top_Ranked", "detail")
        .aggregate("By_Status", "Orders", a -> a.groupBy("customer_id").agg("total", "sum(amount)")
            .pivot("status", "PAID", "OPEN"))
        .orderBy("By_Customer", "By_Status", o -> o.asc("customer_id"))
        .target("Pivoted", "By_Customer", "pivoted");
  }

  /** The rows of each gem's output, worked out by hand from ORDERS and CUSTOMERS. */
  static Map<String, Long> expectedCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("Orders", 8L);
    m.put("Customers", 4L);
    m.put("Paid", 4L);                     // 1, 2, 3, 5 (8 is below 25)
    m.put("With_Customer", 4L);
    m.put("By_Country", 2L);               // DE (1, 2, 5), FR (3)
    m.put("Labelled", 2L);
    m.put("Sorted", 2L);
    m.put("Top_One", 1L);
    m.put("Revenue", 2L);
    m.put("Left_Join", 8L);                // order 6 with a null country
    m.put("Right_Join", 8L);               // 7 orders of known customers, and customer 5
    m.put("Full_Join", 9L);                // 8 orders and customer 5
    m.put("Customers_With_Orders", 3L);    // 1, 2, 3
    m.put("Customers_Without_Orders", 1L); // 5
    m.put("Every_Pair", 4L);
    m.put("Three_Way", 1L);                // paid order 3 of customer 2 with its open order 4 (70 > 50)
    m.put("Joins", 1L);
    m.put("Ranked", 8L);
    m.put("Cleaned", 8L);
    m.put("Firsts", 4L);                   // one per customer 1 to 4
    m.put("Lasts", 4L);
    m.put("Uniques", 1L);                  // customer 4 has one order
    m.put("Any_Per_Customer", 4L);
    m.put("Both", 5L);
    m.put("Distinct", 4L);                 // order 6 is both a first and a unique
    m.put("In_Both", 1L);                  // order 6: the only order of its customer is first and last
    m.put("Firsts_Only", 3L);
    m.put("Widened", 12L);
    m.put("Spread", 12L);
    m.put("One_File", 12L);
    m.put("Sets", 12L);
    m.put("Ranks", 4L);
    m.put("First_Only", 4L);               // inside the subgraph: every first order by amount has rank 1
    m.put("Slim", 4L);
    m.put("Top_Ranked", 4L);
    m.put("Detail", 4L);
    m.put("By_Status", 4L);
    m.put("By_Customer", 4L);
    m.put("Pivoted", 4L);
    return m;
  }

  static Map<String, Long> counts(Run run) {
    Map<String, Long> m = new TreeMap<>();
    for (GemMetrics g : run.metrics()) {
      m.put(g.gem(), g.rows());
    }
    return m;
  }

  static List<List<Object>> rows(Interim i) {
    return i.sample().rows();
  }

  static Pipeline pipeline(String name, Consumer<PipelineBuilder> steps) {
    return project.pipelines().create(name, steps);
  }

  static Run run(Pipeline p, RunOptions options) throws InterruptedException {
    Run run = p.run(fabric, options.timeout(java.time.Duration.ofMinutes(5)));
    assertThat(run.await(java.time.Duration.ofMinutes(5))).as("run of %s ended", p.name()).isTrue();
    return run;
  }

  @Test
  void everyGemRunsWithExactCountsAndTheRowsWorkedOutByHand() throws Exception {
    Pipeline p = pipeline("every_gem", PipelineRunTest::everyGem);
    assertThat(p.validate()).filteredOn(Diagnostic::isError).isEmpty();
    Run run = run(p, RunOptions.defaults().sampleRows(50));
    assertThat(run.status()).as("failure: %s", run.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(counts(run)).isEqualTo(new TreeMap<>(expectedCounts()));

    assertThat(rows(run.interim("Sorted"))).containsExactly(List.of("DE", 175.0, 3L, "daily"),
        List.of("FR", 30.0, 1L, "daily"));
    assertThat(run.interim("Sorted").columns()).containsExactly("country", "revenue", "orders", "label");
    assertThat(rows(run.interim("Top_One"))).containsExactly(List.of("DE", 175.0, 3L, "daily"));
    assertThat(sorted(run.interim("Left_Join"))).containsExactly("1,DE", "2,DE", "3,FR", "4,FR", "5,DE", "6,null",
        "7,DE", "8,DE");
    assertThat(sorted(run.interim("Right_Join"))).contains("null,5").hasSize(8);
    assertThat(sorted(run.interim("Full_Join"))).contains("6,null", "null,5").hasSize(9);
    assertThat(sorted(run.interim("Customers_With_Orders"))).containsExactly("1,Ann", "2,Bob", "3,Cy");
    assertThat(sorted(run.interim("Customers_Without_Orders"))).containsExactly("5,Eve");
    assertThat(sorted(run.interim("Every_Pair"))).containsExactly("DE,Ann", "DE,Bob", "DE,Cy", "DE,Eve");
    assertThat(sorted(run.interim("Three_Way"))).containsExactly("3,4,Bob");
    assertThat(run.interim("Three_Way").columns()).containsExactly("paid_id", "open_id", "name");

    // row_number by amount within each customer; the schema steps drop, rename and add
    assertThat(run.interim("Cleaned").columns()).containsExactly("order_id", "customer_id", "value", "rn", "big");
    assertThat(sorted(run.interim("Cleaned"))).contains("1,1,100.0,1,true", "2,1,50.0,2,false", "8,1,20.0,3,false",
        "4,2,70.0,1,true", "6,4,10.0,1,false");
    assertThat(column(run.interim("Firsts"), 0)).containsExactlyInAnyOrder(1, 4, 7, 6);
    assertThat(column(run.interim("Lasts"), 0)).containsExactlyInAnyOrder(8, 3, 5, 6);
    assertThat(column(run.interim("Uniques"), 0)).containsExactly(6);
    assertThat(column(run.interim("Any_Per_Customer"), 1)).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(column(run.interim("In_Both"), 0)).containsExactly(6);
    assertThat(column(run.interim("Firsts_Only"), 0)).containsExactlyInAnyOrder(1, 4, 7);
    // the union by name has every column of both sides, nulls where a side has none
    assertThat(run.interim("Widened").columns()).containsExactly("order_id", "customer_id", "amount", "status", "value",
        "rn", "big");
    assertThat(sorted(run.interim("Top_Ranked"))).containsExactly("1,1", "4,2", "6,4", "7,3");
    assertThat(run.interim("By_Customer").columns()).containsExactly("customer_id", "PAID", "OPEN");
    assertThat(rows(run.interim("By_Customer"))).containsExactly(row(1, 170.0, null), row(2, 30.0, 70.0),
        row(3, 25.0, 40.0), row(4, null, null));

    // what the targets wrote, read back through the engine
    assertThat(query("SELECT country, revenue, orders, label FROM parquet.`" + out("revenue") + "` ORDER BY country"))
        .containsExactly("DE,175.0,3,daily", "FR,30.0,1,daily");
    assertThat(query("SELECT * FROM parquet.`" + out("pivoted") + "` ORDER BY customer_id"))
        .containsExactly("1,170.0,null", "2,30.0,70.0", "3,25.0,40.0", "4,null,null");
    assertThat(query("SELECT order_id, customer_id FROM parquet.`" + out("detail") + "` ORDER BY order_id"))
        .containsExactly("1,1", "4,2", "6,4", "7,3");
    assertThat(query("SELECT count(*) FROM parquet.`" + out("sets") + "`")).containsExactly("12");
    // the coalesce before the target leaves one data file
    try (var files = Files.list(Path.of(out("sets")))) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet"))).hasSize(1);
    }
    assertThat(p.runs(1)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(RunRecord.Status.SUCCEEDED));
  }

  @Test
  void schemaTransformsInsideAndAfterASubgraphRunWithColumnsFromOutside() throws Exception {
    Pipeline p = pipeline("subgraph_shapes", b -> b.source("Orders", "orders")
        .subgraph("Paid_Shaped", List.of("Orders"), sg -> sg
            .filter("Paid_Only", "in0", "status = 'PAID'")
            // the columns of Orders, passed on by Paid_Only: known only from outside the subgraph
            .schemaTransform("Without_Status", "Paid_Only", t -> t.drop("status").rename("amount", "total"))
            .output("Without_Status"))
        .schemaTransform("Tidy_Paid", "Paid_Shaped", t -> t.drop("customer_id"))); // the subgraph's own columns
    assertThat(p.validate()).filteredOn(Diagnostic::isError).isEmpty();
    Run run = run(p, RunOptions.defaults());
    assertThat(run.status()).as("failure: %s", run.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(run.interim("Without_Status").columns()).containsExactly("order_id", "customer_id", "total");
    assertThat(run.interim("Tidy_Paid").columns()).containsExactly("order_id", "total");
    assertThat(sorted(run.interim("Tidy_Paid"))).containsExactly("1,100.0", "2,50.0", "3,30.0", "5,25.0", "8,20.0");
  }

  @Test
  void countingWithoutInterimsGivesTheSameCountsAndKeepsNoSample() throws Exception {
    Pipeline p = pipeline("every_gem_quiet", PipelineRunTest::everyGem);
    Run run = run(p, RunOptions.defaults().interims(Interims.NONE).countRows(true));
    assertThat(run.status()).as("failure: %s", run.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(counts(run)).isEqualTo(new TreeMap<>(expectedCounts()));
    assertThat(run.interims()).isEmpty();

    Run targets = run(p, RunOptions.defaults().interims(Interims.TARGETS));
    assertThat(targets.interims()).containsOnlyKeys("Revenue", "Joins", "Sets", "Detail", "Pivoted");
    Run sources = run(p, RunOptions.defaults().interims(Interims.SOURCES).sampleRows(3));
    assertThat(sources.interims()).containsOnlyKeys("Orders", "Customers");
    assertThat(sources.interim("Orders").rows()).isEqualTo(8);
    assertThat(rows(sources.interim("Orders"))).hasSize(3);
  }

  @Test
  void withoutInterimsOnlyTheTargetsReportTheirRowsAndTheyWriteTheSameData() throws Exception {
    Pipeline p = pipeline("every_gem_uncounted", PipelineRunTest::everyGem);
    Run run = run(p, RunOptions.defaults().interims(Interims.NONE));
    Run explicit = run(p, RunOptions.defaults().interims(Interims.NONE).countRows(false));
    assertThat(run.status()).as("failure: %s", run.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    // the gems whose output nothing reads: the five Targets, and the joins and set operations left unconnected
    Map<String, Long> targets = new TreeMap<>(expectedCounts());
    targets.keySet().retainAll(p.graph().gems().stream().filter(g -> p.graph().downstream(g).isEmpty())
        .map(io.prophecy.sdk.pipeline.Gem::name).toList());
    assertThat(targets).containsKeys("Revenue", "Joins", "Sets", "Detail", "Pivoted", "Left_Join")
        .doesNotContainKeys("Orders", "Paid", "Sorted", "One_File").hasSizeLessThan(expectedCounts().size() / 2);
    assertThat(counts(run)).isEqualTo(targets);
    assertThat(counts(explicit)).isEqualTo(targets);
    assertThat(run.interims()).isEmpty();
    assertThat(p.runs(2)).hasSize(2).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
      assertThat(r.metrics()).extracting(GemMetrics::gem).containsExactlyInAnyOrderElementsOf(targets.keySet());
    });
    // the same rows as a counted run writes
    Map<String, List<String>> uncounted = new TreeMap<>();
    for (String target : List.of("revenue", "sets")) {
      uncounted.put(target, query("SELECT * FROM parquet.`" + out(target) + "`").stream().sorted().toList());
    }
    run(p, RunOptions.defaults().interims(Interims.NONE).countRows(true));
    for (String target : uncounted.keySet()) {
      assertThat(query("SELECT * FROM parquet.`" + out(target) + "`").stream().sorted().toList())
          .as(target).isEqualTo(uncounted.get(target)).isNotEmpty();
    }
  }

  @Test
  void deltaTargetsOverwriteAndAppendAndDeltaSourcesReadAnyVersion() throws Exception {
    Pipeline write = pipeline("to_delta", b -> b.source("Orders", "orders")
        .target("Delta_Orders", "Orders", "orders_delta"));
    Pipeline append = pipeline("more_delta", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'").target("More", "Paid", "orders_delta_more"));
    Pipeline read = pipeline("from_delta", b -> b.source("Latest", "orders_delta").source("First", "orders_delta_first")
        .aggregate("Latest_Count", "Latest", a -> a.agg("n", "count(*)"))
        .aggregate("First_Count", "First", a -> a.agg("n", "count(*)")));

    Run first = run(write, RunOptions.defaults().interims(Interims.NONE));
    assertThat(first.status()).as("failure: %s", first.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(Path.of(out("orders_delta"), "_delta_log")).isDirectory();
    Run more = run(append, RunOptions.defaults());
    assertThat(more.status()).as("failure: %s", more.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(counts(more)).containsEntry("More", 5L);

    Run counted = run(read, RunOptions.defaults());
    assertThat(counted.status()).as("failure: %s", counted.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(rows(counted.interim("Latest_Count"))).containsExactly(List.of(13L));
    assertThat(rows(counted.interim("First_Count"))).containsExactly(List.of(8L));
    assertThat(query("SELECT count(*) FROM delta.`" + out("orders_delta") + "`")).containsExactly("13");

    // a merge is refused clearly, naming the target and the field, and nothing is written
    assertThatThrownBy(() -> pipeline("merge_delta", b -> b.source("Orders", "orders")
        .target("Merged", "Orders", "orders_merged")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'Merged'").hasMessageContaining("writeMode").hasMessageContaining("merge");
    assertThat(project.pipelines().list()).noneMatch(x -> x.name().equals("merge_delta"));
  }

  @Test
  void aConfigurationOverrideChangesWhatTheGemsSee() throws Exception {
    Pipeline p = pipeline("configured", b -> b.config("min_amount", "double", "25").config("label", "string", "x")
        .source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID' AND amount >= ${min_amount}")
        .reformat("Labelled", "Paid", r -> r.columns("order_id").column("label", "'$label'")));
    Run run = run(p, RunOptions.defaults().config("min_amount", "50").config("label", "it's"));
    assertThat(run.status()).as("failure: %s", run.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(rows(run.interim("Labelled"))).containsExactlyInAnyOrder(List.of(1, "it's"), List.of(2, "it's"));
  }

  @Test
  void aBadExpressionIsNamedByGemAndFieldBeforeAndDuringTheRun() throws Exception {
    Pipeline p = pipeline("bad_expression", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'")
        .reformat("Shaped", "Paid", r -> r.column("order_id", "order_id").column("doubled", "amount * * 2")));
    assertThat(p.validate(fabric)).filteredOn(Diagnostic::isError).singleElement().satisfies(d -> {
      assertThat(d.gem()).contains("Shaped");
      assertThat(d.location()).contains("expressions[1].expression");
      assertThat(d.message()).containsIgnoringCase("syntax");
    });
    Run run = run(p, RunOptions.defaults());
    assertThat(run.status()).isEqualTo(RunRecord.Status.FAILED);
    assertThat(run.failure()).hasValueSatisfying(f -> {
      assertThat(f.gem()).isEqualTo("Shaped");
      assertThat(f.field()).contains("expressions[1].expression");
      assertThat(f.message()).containsIgnoringCase("syntax");
    });
    // the gems before it ran
    assertThat(counts(run)).containsEntry("Orders", 8L).containsEntry("Paid", 5L).doesNotContainKey("Shaped");
    assertThat(p.runs(1).get(0).status()).isEqualTo(RunRecord.Status.FAILED);
  }

  @Test
  void aMissingColumnIsCaughtStaticallyWhereSchemasAreKnownAndByTheEngineWhereTheyAreNot() throws Exception {
    // a bare column reference is checked against the declared schema before anything is written
    assertThatThrownBy(() -> pipeline("missing_known", b -> b.source("Orders", "orders")
        .reformat("Shaped", "Orders", r -> r.column("id", "order_id").column("state", "statos"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Shaped").hasMessageContaining("expressions[1].expression")
        .hasMessageContaining("statos");
    assertThat(project.pipelines().list()).noneMatch(x -> x.name().equals("missing_known"));

    // inside a richer expression only the engine's analysis sees it, and names the gem and the field
    Pipeline known = pipeline("missing_in_expression", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "statos = 'PAID'"));
    assertThat(known.validate(fabric)).filteredOn(Diagnostic::isError).singleElement().satisfies(d -> {
      assertThat(d.gem()).contains("Paid");
      assertThat(d.location()).contains("condition");
      assertThat(d.message()).contains("statos");
    });

    // the events dataset declares no schema: only the engine can tell that the column is missing
    Pipeline p = pipeline("missing_unknown", b -> b.source("Events", "events")
        .aggregate("By_Kind", "Events", a -> a.groupBy("kind").agg("n", "count(*)").agg("last_seen", "max(seen_at)")));
    assertThat(p.validate()).filteredOn(Diagnostic::isError).isEmpty();
    assertThat(p.validate(fabric)).filteredOn(Diagnostic::isError).singleElement().satisfies(d -> {
      assertThat(d.gem()).contains("By_Kind");
      assertThat(d.location()).contains("aggregate[1].expression");
      assertThat(d.message()).contains("seen_at");
    });
    Run run = run(p, RunOptions.defaults());
    assertThat(run.status()).isEqualTo(RunRecord.Status.FAILED);
    assertThat(run.failure()).hasValueSatisfying(f -> {
      assertThat(f.gem()).isEqualTo("By_Kind");
      assertThat(f.field()).contains("aggregate[1].expression");
      assertThat(f.message()).contains("seen_at");
    });
  }

  @Test
  void aCycleInAWorkflowFileIsReportedAndNothingRuns() throws Exception {
    Pipeline p = pipeline("cyclic", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'")
        .filter("Big", "Paid", "amount > 20"));
    // edited outside the SDK (in Git, say): Big now also feeds Paid
    editWorkflow("cyclic", w -> {
      ObjectNode connection = w.withArray("connections").addObject();
      connection.put("id", "loop").put("source", id(w, "Big")).put("sourcePort", port(w, "Big", "outputs"))
          .put("target", id(w, "Paid")).put("targetPort", port(w, "Paid", "inputs"));
    });
    Pipeline reread = project.pipelines().get("cyclic");
    assertThat(reread.validate()).filteredOn(Diagnostic::isError).isNotEmpty()
        .anySatisfy(d -> assertThat(d.message()).containsIgnoringCase("cycle").contains("Paid").contains("Big"));
    int before = reread.runs(10).size();
    assertThatThrownBy(() -> reread.run(fabric))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cycle").hasMessageContaining("Paid");
    assertThat(reread.runs(10)).hasSize(before);
  }

  @Test
  void anUnknownGemTypeInAWorkflowFileIsNamedAndNothingRuns() throws Exception {
    Pipeline p = pipeline("unknown_gem", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'"));
    editWorkflow("unknown_gem", w -> ((ObjectNode) w.get("processes").get(id(w, "Paid"))).put("component", "FuzzyMatch"));
    Pipeline reread = project.pipelines().get("unknown_gem");
    assertThat(reread.validate()).filteredOn(Diagnostic::isError).singleElement().satisfies(d -> {
      assertThat(d.gem()).contains("Paid");
      assertThat(d.message()).contains("FuzzyMatch");
    });
    assertThatThrownBy(() -> reread.run(fabric))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Paid").hasMessageContaining("FuzzyMatch");
  }

  @Test
  void aScriptGemIsRefusedByTheInteractiveSqlPathNamingTheGem() {
    Pipeline p = pipeline("scripted", b -> b.source("Orders", "orders")
        .script("Tagged", List.of("Orders"), "out = in0.withColumn(\"source\", lit(\"script\"))"));
    assertThatThrownBy(() -> p.run(fabric))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Tagged").hasMessageContaining("script");
  }

  // --- helpers

  private static final ObjectMapper JSON = new ObjectMapper();

  static void editWorkflow(String pipeline, Consumer<ObjectNode> edit) throws Exception {
    Path file = project.workingCopy().resolve("pipelines/" + pipeline + "/code/.prophecy/workflow.latest.json");
    ObjectNode w = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(w);
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(w));
  }

  /** The process id of the gem labelled {@code label}. */
  static String id(ObjectNode workflow, String label) {
    var it = workflow.get("processes").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (label.equals(e.getValue().path("metadata").path("label").asText())) {
        return e.getKey();
      }
    }
    throw new AssertionError("no process labelled " + label);
  }

  static String port(ObjectNode workflow, String label, String side) {
    return workflow.get("processes").get(id(workflow, label)).get("ports").get(side).get(0).get("id").asText();
  }

  static String out(String dataset) {
    return project.workingCopy().resolve("out").resolve(dataset).toString();
  }

  static List<String> query(String sql) throws InterruptedException {
    return SparkFixtures.rows(heldSession, sql).stream().map(PipelineRunTest::joined).toList();
  }

  static String joined(List<Object> row) {
    return row.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static List<String> sorted(Interim i) {
    return rows(i).stream().map(PipelineRunTest::joined).sorted().toList();
  }

  static List<Object> column(Interim i, int index) {
    List<Object> out = new ArrayList<>();
    for (List<Object> row : rows(i)) {
      out.add(row.get(index));
    }
    return out;
  }

  /** A row that may hold nulls. */
  static List<Object> row(Object... values) {
    return java.util.Arrays.asList(values);
  }
}

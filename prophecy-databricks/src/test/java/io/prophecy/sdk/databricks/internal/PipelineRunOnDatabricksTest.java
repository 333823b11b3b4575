package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Interim;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.RunOptions;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import mockwebserver3.MockWebServer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline.run(fabric)} on a Databricks fabric, through the SDK, against a workspace whose Command
 * API runs the SQL commands for real on local Spark ({@link SparkBackedCommandApi}); the same pipeline on
 * the embedded Spark fabric gives the same counts and samples. One Spark context for the class: the
 * fake's, which the embedded fabric uses as the application's own.
 */
class PipelineRunOnDatabricksTest {
  /** order_id, customer_id, amount, status. */
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
  private static final String CLUSTER = SparkBackedCommandApi.CLUSTER;

  @TempDir static Path dir;
  static SparkSession spark;
  static Prophecy prophecy;
  static Team team;
  static Fabric local;
  static Project project;
  static String token;

  MockWebServer server;
  SparkBackedCommandApi api;
  Fabric dbx;

  @BeforeAll
  static void setUp() {
    spark = SparkSession.builder().master("local[2]").appName("fake-databricks-cluster")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString())
        // like a Databricks cluster: Delta Lake, and tables made without USING are Delta tables
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.sources.default", "delta")
        .config("spark.sql.legacy.createHiveTableByDefault", "false")
        .getOrCreate();
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    token = "dapi" + HexFormat.of().formatHex(bytes);
    prophecy = Prophecy.builder().home(dir.resolve("home")).build();
    team = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics");
    local = team.fabrics().create(FabricSpec.builder().kind("spark").name("local").putSettings("master", "local[2]").build());
    project = team.projects().create("shop");
    write("data/orders.csv", ORDERS);
    write("data/customers.csv", CUSTOMERS);
    project.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
        .putOptions("header", "true")
        .addSchema(Column.of("order_id", "int"), Column.of("customer_id", "int"), Column.of("amount", "double"),
            Column.of("status", "string"))
        .build());
    // no declared schema: the engine infers it
    project.datasets().create(DatasetSpec.builder().name("customers").format("csv").path("data/customers.csv")
        .putOptions("header", "true").build());
    project.datasets().create(DatasetSpec.builder().name("revenue").format("parquet").path("out/revenue")
        .putOptions("writeMode", "overwrite").build());
    // one Delta path under two datasets (overwrite, append); one catalog table under two (overwrite, ignore)
    project.datasets().create(DatasetSpec.builder().name("paid_delta").format("delta").path("out/paid_delta")
        .putOptions("writeMode", "overwrite").putOptions("partitionColumns", "customer_id").build());
    project.datasets().create(DatasetSpec.builder().name("paid_delta_more").format("delta").path("out/paid_delta")
        .putOptions("writeMode", "append").build());
    project.datasets().create(DatasetSpec.builder().name("single_delta").format("delta").path("out/single_delta")
        .putOptions("writeMode", "overwrite").build());
    project.datasets().create(DatasetSpec.builder().name("paid_table").format("catalogTable").table("paid_orders")
        .putOptions("writeMode", "overwrite").build());
    project.datasets().create(DatasetSpec.builder().name("paid_table_once").format("catalogTable").table("paid_orders")
        .putOptions("writeMode", "ignore").build());
  }

  @AfterAll
  static void tearDown() {
    if (prophecy != null) {
      prophecy.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  @BeforeEach
  void workspace(TestInfo info) throws Exception {
    server = new MockWebServer();
    api = new SparkBackedCommandApi(spark, token, TestPlatform.USER_AGENT);
    server.setDispatcher(api);
    server.start();
    String url = server.url("/").toString();
    dbx = team.fabrics().create(FabricSpec.builder().kind("databricks").name("dbx-" + info.getTestMethod().orElseThrow()
        .getName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").substring(0, 12))
        .putSettings("workspaceUrl", url.substring(0, url.length() - 1)).putSettings("clusterId", CLUSTER).build());
    dbx.credentials().set(Credentials.ofSecret("token", Secret.of(token)));
  }

  @AfterEach
  void closeWorkspace() {
    api.close();
    server.close();
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

  static void revenue(PipelineBuilder p) {
    p.source("Orders", "orders")
        .source("Customers", "customers")
        .reformat("Priced", "Orders", r -> r.columns("order_id", "customer_id", "status")
            .column("cents", "CAST(amount * 100 AS INT)"))
        .filter("Paid", "Priced", "status = 'PAID'")
        .join("With_Customer", List.of("Paid", "Customers"), j -> j
            .on("in1", "in0.customer_id = in1.id", JoinType.INNER)
            .columns("in0.order_id", "in0.cents", "in1.name", "in1.country"))
        .aggregate("By_Country", "With_Customer", a -> a.groupBy("country")
            .agg("revenue", "sum(cents)").agg("orders", "count(*)"))
        .target("Revenue", "By_Country", "revenue");
  }

  static Run run(Pipeline p, Fabric fabric, RunOptions options) throws InterruptedException {
    Run run = p.run(fabric, options.timeout(Duration.ofMinutes(5)));
    assertThat(run.await(Duration.ofMinutes(5))).as("run of %s on %s ended", p.name(), fabric.info().name()).isTrue();
    return run;
  }

  static Map<String, Long> counts(Run run) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (GemMetrics g : run.metrics()) {
      m.put(g.gem(), g.rows());
    }
    return m;
  }

  @Test
  void aPipelineRunGivesTheSameCountsAndSamplesAsOnTheEmbeddedFabric() throws Exception {
    Pipeline p = project.pipelines().create("revenue_by_country", PipelineRunOnDatabricksTest::revenue);
    Run onSpark = run(p, local, RunOptions.defaults());
    assertThat(onSpark.status()).as("failure: %s", onSpark.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);

    Run onDbx = run(p, dbx, RunOptions.defaults());

    assertThat(onDbx.status()).as("failure: %s", onDbx.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("Orders", 8L);
    expected.put("Customers", 4L);
    expected.put("Priced", 8L);
    expected.put("Paid", 5L);          // orders 1, 2, 3, 5, 8
    expected.put("With_Customer", 5L); // each of customers 1, 2, 3 is known
    expected.put("By_Country", 2L);    // DE (1, 2, 5, 8), FR (3)
    expected.put("Revenue", 2L);
    assertThat(counts(onDbx)).containsExactlyEntriesOf(expected);
    assertThat(counts(onSpark)).containsExactlyEntriesOf(expected);
    assertThat(onDbx.metrics()).allSatisfy(m -> assertThat(m.duration()).isPositive());
    // the same samples, value for value and type for type (Integer for an int, Long for a count)
    assertThat(onDbx.interims().keySet()).containsExactlyElementsOf(onSpark.interims().keySet())
        .containsExactly("Orders", "Customers", "Priced", "Paid", "With_Customer", "By_Country");
    for (String gem : onSpark.interims().keySet()) {
      ResultTableAssert.same(gem, onSpark.interim(gem), onDbx.interim(gem));
    }
    assertThat(onDbx.interim("By_Country").sample().rows())
        .containsExactlyInAnyOrder(List.of("DE", 19500L, 4L), List.of("FR", 3000L, 1L));
    assertThat(onDbx.interim("Priced").sample().columns()).extracting(c -> c.name() + " " + c.type())
        .containsExactly("order_id int", "customer_id int", "status string", "cents int");
    // the cluster wrote the target
    List<Row> written = spark.read().parquet(project.workingCopy().resolve("out/revenue").toString()).collectAsList();
    assertThat(written).extracting(Row::toString).containsExactlyInAnyOrder("[DE,19500,4]", "[FR,3000,1]");

    // every request: the cluster, one context, four kinds of commands, their status polls, the destroy
    assertThat(api.awaitAllDestroyed(Duration.ofSeconds(30))).isTrue();
    assertThat(api.problems).isEmpty();
    List<String> texts = api.commandTexts();
    Path wc = project.workingCopy();
    assertThat(texts).hasSize(1 + 1 + 6 + 1);
    assertThat(SparkBackedCommandApi.statements(texts.get(0))).hasSize(6).satisfiesExactly(
        s -> assertThat(s).isEqualTo("CREATE OR REPLACE TEMPORARY VIEW `Orders` (`order_id` int, `customer_id` int,"
            + " `amount` double, `status` string) USING csv OPTIONS (`path` '" + wc.resolve("data/orders.csv")
            + "', `header` 'true')"),
        s -> assertThat(s).isEqualTo("CREATE OR REPLACE TEMPORARY VIEW `Customers` USING csv OPTIONS (`path` '"
            + wc.resolve("data/customers.csv") + "', `header` 'true', `inferSchema` 'true')"),
        s -> assertThat(s).startsWith("CREATE OR REPLACE TEMPORARY VIEW `Priced` AS\n").contains("`Orders`"),
        s -> assertThat(s).startsWith("CREATE OR REPLACE TEMPORARY VIEW `Paid` AS\n").contains("`Priced`"),
        s -> assertThat(s).startsWith("CREATE OR REPLACE TEMPORARY VIEW `With_Customer` AS\n").contains("`Paid`"),
        s -> assertThat(s).startsWith("CREATE OR REPLACE TEMPORARY VIEW `By_Country` AS\n").contains("`With_Customer`"));
    assertThat(texts.get(1)).isEqualTo(String.join("\nUNION ALL\n",
        "SELECT 0 AS step, count(*) AS row_count FROM `Orders`",
        "SELECT 1 AS step, count(*) AS row_count FROM `Customers`",
        "SELECT 2 AS step, count(*) AS row_count FROM `Priced`",
        "SELECT 3 AS step, count(*) AS row_count FROM `Paid`",
        "SELECT 4 AS step, count(*) AS row_count FROM `With_Customer`",
        "SELECT 5 AS step, count(*) AS row_count FROM `By_Country`",
        "SELECT 6 AS step, count(*) AS row_count FROM (SELECT * FROM `By_Country`)"));
    assertThat(texts.subList(2, 8)).containsExactly("SELECT * FROM `Orders` LIMIT 20",
        "SELECT * FROM `Customers` LIMIT 20", "SELECT * FROM `Priced` LIMIT 20", "SELECT * FROM `Paid` LIMIT 20",
        "SELECT * FROM `With_Customer` LIMIT 20", "SELECT * FROM `By_Country` LIMIT 20");
    assertThat(texts.get(8)).isEqualTo("INSERT OVERWRITE DIRECTORY '" + wc.resolve("out/revenue")
        + "' USING parquet\nSELECT * FROM `By_Country`");
    assertCallSequence(texts.size());
  }

  @Test
  void aBadExpressionFailsNamingTheGemAndFieldBeforeAndDuringTheRun() throws Exception {
    Pipeline p = project.pipelines().create("bad_expression", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'")
        .reformat("Shaped", "Paid", r -> r.column("order_id", "order_id").column("doubled", "amount * * 2")));
    Run onSpark = run(p, local, RunOptions.defaults());

    // analysis (validate against the fabric): one command per step, up to the one that fails, then its probes
    assertThat(p.validate(dbx)).filteredOn(Diagnostic::isError).singleElement().satisfies(d -> {
      assertThat(d.gem()).contains("Shaped");
      assertThat(d.location()).contains("expressions[1].expression");
      assertThat(d.message()).containsIgnoringCase("syntax");
    });
    Run onDbx = run(p, dbx, RunOptions.defaults());

    assertThat(onDbx.status()).isEqualTo(RunRecord.Status.FAILED).isEqualTo(onSpark.status());
    assertThat(onDbx.failure()).hasValueSatisfying(f -> {
      assertThat(f.gem()).isEqualTo("Shaped");
      assertThat(f.field()).contains("expressions[1].expression");
      assertThat(f.message()).containsIgnoringCase("syntax").contains("PARSE_SYNTAX_ERROR").doesNotContain("<span");
    });
    assertThat(onSpark.failure().orElseThrow().gem()).isEqualTo("Shaped");
    assertThat(onSpark.failure().orElseThrow().field()).isEqualTo(onDbx.failure().orElseThrow().field());
    // as on the embedded fabric, the gems before it ran, with their samples
    assertThat(counts(onDbx)).containsExactlyEntriesOf(counts(onSpark)).containsExactly(
        Map.entry("Orders", 8L), Map.entry("Paid", 5L));
    assertThat(onDbx.interim("Paid").sample().rows()).containsExactlyInAnyOrderElementsOf(
        onSpark.interim("Paid").sample().rows());

    assertThat(api.awaitAllDestroyed(Duration.ofSeconds(30))).isTrue();
    assertThat(api.problems).isEmpty();
    assertThat(api.created).as("one context to validate, one to run").hasSize(2);
    List<String> texts = api.commandTexts();
    String shaped = "CREATE OR REPLACE TEMPORARY VIEW `Shaped` AS\n";
    String probe = "CREATE OR REPLACE TEMPORARY VIEW `__prophecy_probe` AS\n";
    assertThat(texts).satisfiesExactly(
        // validate: Orders, Paid, then Shaped fails, and alone too, then its probes until one fails
        t -> assertThat(t).startsWith("CREATE OR REPLACE TEMPORARY VIEW `Orders` (").endsWith(";\nSELECT * FROM `Orders` LIMIT 0"),
        t -> assertThat(t).startsWith("CREATE OR REPLACE TEMPORARY VIEW `Paid` AS\n").endsWith(";\nSELECT * FROM `Paid` LIMIT 0"),
        t -> assertThat(t).startsWith(shaped).contains("amount * * 2").endsWith(";\nSELECT * FROM `Shaped` LIMIT 0"),
        t -> assertThat(t).startsWith(shaped).doesNotContain(";"),
        t -> assertThat(t).startsWith(probe).doesNotContain("amount * * 2"),
        t -> assertThat(t).startsWith(probe).contains("amount * * 2"),
        // the run: every view in one command, which fails; then one by one to find the step
        t -> assertThat(SparkBackedCommandApi.statements(t)).hasSize(3),
        t -> assertThat(t).startsWith("CREATE OR REPLACE TEMPORARY VIEW `Orders` (").doesNotContain(";"),
        t -> assertThat(t).startsWith("CREATE OR REPLACE TEMPORARY VIEW `Paid` AS\n"),
        t -> assertThat(t).startsWith(shaped),
        t -> assertThat(t).startsWith(probe).doesNotContain("amount * * 2"),
        t -> assertThat(t).startsWith(probe).contains("amount * * 2"),
        // the steps before it: counted in one query and sampled
        t -> assertThat(t).isEqualTo("SELECT 0 AS step, count(*) AS row_count FROM `Orders`\nUNION ALL\n"
            + "SELECT 1 AS step, count(*) AS row_count FROM `Paid`"),
        t -> assertThat(t).isEqualTo("SELECT * FROM `Orders` LIMIT 20"),
        t -> assertThat(t).isEqualTo("SELECT * FROM `Paid` LIMIT 20"));
  }

  @Test
  void aRunCancelledMidwayEndsCancelledWithItsCommandCancelledAndEveryContextDestroyed() throws Exception {
    Pipeline p = project.pipelines().create("to_cancel", PipelineRunOnDatabricksTest::revenue);
    api.holdWhen(sql -> sql.startsWith("SELECT 0 AS step"));
    Run run = p.run(dbx, RunOptions.defaults().timeout(Duration.ofMinutes(5)));
    assertThat(api.awaitHeld(Duration.ofMinutes(2))).as("the count query reached the cluster").isTrue();
    assertThat(run.status()).isEqualTo(RunRecord.Status.RUNNING);

    run.cancel();

    assertThat(run.await(Duration.ofMinutes(2))).isTrue();
    assertThat(run.status()).isEqualTo(RunRecord.Status.CANCELLED);
    assertThat(run.failure()).isEmpty();
    assertThat(run.metrics()).isEmpty();
    assertThat(api.awaitAllDestroyed(Duration.ofSeconds(30))).isTrue();
    assertThat(api.leaked()).isEmpty();
    assertThat(api.problems).isEmpty();
    List<String> texts = api.commandTexts();
    assertThat(texts).hasSize(2);
    assertThat(texts.get(1)).startsWith("SELECT 0 AS step");
    // the count query, and only it, was cancelled, once; then polled to its end and the context destroyed
    assertThat(api.cancelled).containsExactly("cmd-3");
    List<String> tail = api.calls.stream().dropWhile(c -> !c.target().equals("/api/1.2/commands/cancel"))
        .map(Object::toString).toList();
    String q = "?clusterId=" + CLUSTER + "&contextId=ctx-1&commandId=cmd-3";
    assertThat(tail.get(0)).isEqualTo("POST /api/1.2/commands/cancel {\"clusterId\":\"" + CLUSTER
        + "\",\"contextId\":\"ctx-1\",\"commandId\":\"cmd-3\"}");
    assertThat(tail.subList(1, tail.size() - 1)).containsOnly("GET /api/1.2/commands/status" + q).hasSizeGreaterThanOrEqualTo(2);
    assertThat(tail.get(tail.size() - 1)).isEqualTo("POST /api/1.2/contexts/destroy {\"clusterId\":\"" + CLUSTER
        + "\",\"contextId\":\"ctx-1\"}");
    assertThat(p.runs(1).get(0).status()).isEqualTo(RunRecord.Status.CANCELLED);
  }

  @Test
  void samplesSmallerThanTheGemAreTruncatedAsOnTheEmbeddedFabric() throws Exception {
    Pipeline p = project.pipelines().create("sources_only", PipelineRunOnDatabricksTest::revenue);
    RunOptions options = RunOptions.defaults().interims(io.prophecy.sdk.Interims.SOURCES).sampleRows(3);
    Run onSpark = run(p, local, options);
    Run onDbx = run(p, dbx, options);

    assertThat(onDbx.status()).as("failure: %s", onDbx.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(onDbx.interims().keySet()).containsExactly("Orders", "Customers");
    for (String gem : List.of("Orders", "Customers")) {
      ResultTableAssert.same(gem, onSpark.interim(gem), onDbx.interim(gem));
      assertThat(onDbx.interim(gem).sample().rows()).as(gem).hasSize(3);
      assertThat(onDbx.interim(gem).sample().truncated()).as(gem).isTrue();
    }
    assertThat(counts(onDbx)).containsExactlyEntriesOf(counts(onSpark));
    assertThat(api.commandTexts()).contains("SELECT * FROM `Orders` LIMIT 3", "SELECT * FROM `Customers` LIMIT 3");
    assertThat(api.problems).isEmpty();
  }

  @Test
  void analysisGivesTheSchemaOfEveryGemAsOnTheEmbeddedFabric() throws Exception {
    DatasetSpec orders = DatasetSpec.builder().from(project.datasets().list().stream()
        .filter(d -> d.name().equals("orders")).findFirst().orElseThrow().spec())
        .path(project.workingCopy().resolve("data/orders.csv").toString()).build();
    PipelinePlan plan = new PipelinePlan("analysed", List.of(
        new PipelinePlan.Step("Orders", PipelinePlan.Kind.READ, "Orders", "", Optional.of(orders), Optional.empty(),
            false, List.of(), List.of()),
        new PipelinePlan.Step("Doubled", PipelinePlan.Kind.TRANSFORM, "Doubled",
            "SELECT order_id, amount * 2 AS doubled, CAST(amount AS DECIMAL(10,2)) AS exact, count(*) OVER () AS n"
                + " FROM `Orders`", Optional.empty(), Optional.empty(), false, List.of("Orders"), List.of())), 20);
    PlanExecutor.Analysis onSpark;
    try (FabricConnection c = local.connect();
        ExecutionSession s = c.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
      onSpark = ((PlanExecutor) s).analyze(plan);
    }
    PlanExecutor.Analysis onDbx;
    try (FabricConnection c = dbx.connect();
        ExecutionSession s = c.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
      onDbx = ((PlanExecutor) s).analyze(plan);
    }

    assertThat(onDbx.failure()).isEmpty();
    assertThat(onDbx.schemas()).isEqualTo(onSpark.schemas());
    assertThat(onDbx.schemas().get("Doubled")).extracting(c -> c.name() + " " + c.type())
        .containsExactly("order_id int", "doubled double", "exact decimal(10,2)", "n bigint");
    assertThat(api.commandTexts()).hasSize(2).allSatisfy(t -> assertThat(t).endsWith(" LIMIT 0"));
    assertThat(api.awaitAllDestroyed(Duration.ofSeconds(30))).isTrue();
    assertThat(api.problems).isEmpty();
  }

  @Test
  void targetsAreWrittenToDeltaPathsAndCatalogTablesInEachWriteMode() throws Exception {
    Pipeline first = project.pipelines().create("paid_first", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'")
        .target("To_Delta", "Paid", "paid_delta").target("To_Table", "Paid", "paid_table"));
    Pipeline more = project.pipelines().create("paid_more", b -> b.source("Orders", "orders")
        .filter("Paid", "Orders", "status = 'PAID'")
        .target("To_Delta", "Paid", "paid_delta_more").target("To_Table", "Paid", "paid_table_once"));
    RunOptions options = RunOptions.defaults().interims(io.prophecy.sdk.Interims.NONE);

    Run a = run(first, dbx, options);
    assertThat(a.status()).as("failure: %s", a.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    Run b = run(more, dbx, options);
    assertThat(b.status()).as("failure: %s", b.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);

    assertThat(counts(a)).containsEntry("To_Delta", 5L).containsEntry("To_Table", 5L);
    String delta = project.workingCopy().resolve("out/paid_delta").toString();
    // overwritten with the 5 paid orders, then 5 appended; partitioned by customer
    assertThat(spark.read().format("delta").load(delta).count()).isEqualTo(10);
    assertThat(spark.sql("DESCRIBE DETAIL delta.`" + delta + "`").select("partitionColumns").first().getList(0))
        .containsExactly("customer_id");
    // the table was made by the first run; the second (ignore) left it
    assertThat(spark.table("paid_orders").count()).isEqualTo(5);
    String paid = "SELECT * FROM `Paid`";
    String empty = " AS\nSELECT * FROM (" + paid + ") LIMIT 0;\n";
    assertThat(api.commandTexts()).filteredOn(t -> t.startsWith("CREATE TABLE")).containsExactly(
        "CREATE TABLE IF NOT EXISTS delta.`" + delta + "` USING delta PARTITIONED BY (`customer_id`)" + empty
            + "INSERT OVERWRITE delta.`" + delta + "`\n" + paid,
        "CREATE TABLE IF NOT EXISTS `paid_orders`" + empty + "INSERT OVERWRITE TABLE `paid_orders`\n" + paid,
        "CREATE TABLE IF NOT EXISTS delta.`" + delta + "` USING delta" + empty + "INSERT INTO delta.`" + delta + "`\n"
            + paid,
        "CREATE TABLE IF NOT EXISTS `paid_orders` AS\n" + paid);
    assertThat(api.problems).isEmpty();
  }

  @Test
  void aClusterThatTakesOneStatementPerCommandStillRunsThePipelineStatementByStatement() throws Exception {
    api.oneStatementPerCommand = true;
    Pipeline p = project.pipelines().create("one_statement", b -> {
      revenue(b);
      b.target("Paid_Delta", "Paid", "single_delta");
    });
    Run onSpark = run(p, local, RunOptions.defaults());
    Run onDbx = run(p, dbx, RunOptions.defaults());

    assertThat(onDbx.status()).as("failure: %s", onDbx.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(counts(onDbx)).containsExactlyEntriesOf(counts(onSpark)).containsEntry("By_Country", 2L)
        .containsEntry("Paid_Delta", 5L);
    for (String gem : onSpark.interims().keySet()) {
      ResultTableAssert.same(gem, onSpark.interim(gem), onDbx.interim(gem));
    }
    assertThat(spark.read().format("delta").load(project.workingCopy().resolve("out/single_delta").toString()).count())
        .isEqualTo(5);
    List<String> texts = api.commandTexts();
    // the views: all at once (refused), then one by one; the Delta write: both statements (refused), then each
    assertThat(SparkBackedCommandApi.statements(texts.get(0))).hasSize(6);
    assertThat(texts.subList(1, 7)).allSatisfy(t -> assertThat(SparkBackedCommandApi.statements(t)).hasSize(1));
    assertThat(texts.get(7)).startsWith("SELECT 0 AS step");
    int write = texts.indexOf(texts.stream().filter(t -> t.startsWith("CREATE TABLE IF NOT EXISTS delta.`"))
        .findFirst().orElseThrow());
    assertThat(texts.subList(write, write + 3)).satisfiesExactly(
        t -> assertThat(SparkBackedCommandApi.statements(t)).hasSize(2),
        t -> assertThat(t).startsWith("CREATE TABLE IF NOT EXISTS delta.`").doesNotContain(";"),
        t -> assertThat(t).startsWith("INSERT OVERWRITE delta.`"));
    assertThat(api.awaitAllDestroyed(Duration.ofSeconds(30))).isTrue();
    assertThat(api.problems).isEmpty();
  }

  /** The same interim on both fabrics: rows, columns with types, sample rows (any order), truncation. */
  static final class ResultTableAssert {
    static void same(String gem, Interim a, Interim b) {
      assertThat(b.rows()).as(gem).isEqualTo(a.rows());
      assertThat(b.sample().columns()).as(gem).isEqualTo(a.sample().columns());
      assertThat(b.sample().rows()).as(gem).containsExactlyInAnyOrderElementsOf(a.sample().rows());
      assertThat(b.sample().truncated()).as(gem).isEqualTo(a.sample().truncated());
    }
  }

  @Test
  void withoutInterimsOnlyTheGemsNothingReadsAreCountedInOneQuery() throws Exception {
    Pipeline p = project.pipelines().create("no_counts", PipelineRunOnDatabricksTest::revenue);
    RunOptions options = RunOptions.defaults().interims(io.prophecy.sdk.Interims.NONE);
    Run onSpark = run(p, local, options);
    Run onDbx = run(p, dbx, options);

    assertThat(onDbx.status()).as("failure: %s", onDbx.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
    assertThat(counts(onDbx)).containsExactlyEntriesOf(counts(onSpark)).containsExactly(Map.entry("Revenue", 2L));
    assertThat(onDbx.interims()).isEmpty();
    assertThat(api.commandTexts()).hasSize(3).element(1)
        .isEqualTo("SELECT 6 AS step, count(*) AS row_count FROM (SELECT * FROM `By_Country`)");
    assertThat(api.awaitAllDestroyed(Duration.ofSeconds(30))).isTrue();
    assertThat(api.problems).isEmpty();
  }

  /**
   * The calls in order: the cluster read, one SQL context, then each command executed and polled until it
   * finished, then the context destroyed; every body as the API documents it.
   */
  private void assertCallSequence(int commands) {
    List<SparkBackedCommandApi.Call> calls = api.calls;
    String q = "?clusterId=" + CLUSTER + "&contextId=ctx-1";
    assertThat(calls.get(0).toString()).isEqualTo("GET /api/2.0/clusters/get?cluster_id=" + CLUSTER);
    assertThat(calls.get(1).toString()).isEqualTo("POST /api/1.2/contexts/create {\"clusterId\":\"" + CLUSTER
        + "\",\"language\":\"sql\"}");
    assertThat(calls.get(2).toString()).isEqualTo("GET /api/1.2/contexts/status" + q);
    int i = 3;
    List<String> ids = new ArrayList<>();
    while (i < calls.size() && calls.get(i).target().equals("/api/1.2/commands/execute")) {
      JsonNode body = calls.get(i).body();
      assertThat(body.path("clusterId").asText()).isEqualTo(CLUSTER);
      assertThat(body.path("contextId").asText()).isEqualTo("ctx-1");
      assertThat(body.path("language").asText()).isEqualTo("sql");
      assertThat(body.size()).isEqualTo(4);
      String id = "cmd-" + (ids.size() + 2);
      ids.add(id);
      i++;
      int polls = 0;
      while (i < calls.size() && calls.get(i).method().equals("GET")) {
        assertThat(calls.get(i).toString()).isEqualTo("GET /api/1.2/commands/status" + q + "&commandId=" + id);
        polls++;
        i++;
      }
      assertThat(polls).as("polls of %s", id).isPositive();
    }
    assertThat(ids).hasSize(commands);
    assertThat(calls.subList(i, calls.size())).extracting(Object::toString).containsExactly(
        "POST /api/1.2/contexts/destroy {\"clusterId\":\"" + CLUSTER + "\",\"contextId\":\"ctx-1\"}");
  }
}

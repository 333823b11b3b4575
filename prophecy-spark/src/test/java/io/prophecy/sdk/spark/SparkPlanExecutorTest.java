package io.prophecy.sdk.spark;

import static io.prophecy.sdk.spark.SparkFixtures.SPARK_SQL;
import static io.prophecy.sdk.spark.SparkFixtures.WAIT;
import static io.prophecy.sdk.spark.SparkFixtures.plan;
import static io.prophecy.sdk.spark.SparkFixtures.read;
import static io.prophecy.sdk.spark.SparkFixtures.rows;
import static io.prophecy.sdk.spark.SparkFixtures.sampled;
import static io.prophecy.sdk.spark.SparkFixtures.sql;
import static io.prophecy.sdk.spark.SparkFixtures.transform;
import static io.prophecy.sdk.spark.SparkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.spark.internal.SparkFabricConnection;
import io.prophecy.sdk.spi.ExecutionResult.Status;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PipelinePlan.Probe;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.PlanExecutor.Outcome;
import io.prophecy.sdk.spi.PlanExecutor.Result;
import io.prophecy.sdk.spi.ResultTable;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline plans built by hand over files the test writes: counts per gem in both modes, samples,
 * failures named by gem and field, analysis without running, cancellation.
 */
class SparkPlanExecutorTest {
  /** One order: customers 5 and 6 have no customer record, so the join drops their orders. */
  record Order(int id, int customerId, double amount, String status) {}

  record Customer(int id, String name, String country) {}

  static final List<Order> ORDERS = IntStream.range(0, 50)
      .mapToObj(i -> new Order(i, i % 7, i * 1.5, i % 3 == 0 ? "PAID" : i % 3 == 1 ? "OPEN" : "CANCELLED")).toList();
  static final List<Customer> CUSTOMERS = IntStream.range(0, 5)
      .mapToObj(i -> new Customer(i, "c" + i, List.of("DE", "FR", "US").get(i % 3))).toList();

  @TempDir static Path dir;
  static FabricConnection connection;
  static ExecutionSession session;
  static PlanExecutor executor;
  static DatasetSpec orders;
  static DatasetSpec customers;
  static DatasetSpec countries;

  @BeforeAll
  static void setUp() throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,customer_id,amount,status\n" + ORDERS.stream()
        .map(o -> o.id() + "," + o.customerId() + "," + o.amount() + "," + o.status()).collect(Collectors.joining("\n")));
    Files.writeString(dir.resolve("customers.json"), CUSTOMERS.stream()
        .map(c -> "{\"id\": " + c.id() + ", \"name\": \"" + c.name() + "\", \"country\": \"" + c.country() + "\"}")
        .collect(Collectors.joining("\n")));
    connection = SparkFixtures.connect(dir.resolve("work"), Map.of());
    session = connection.openSession(SessionOptions.of(SPARK_SQL));
    executor = (PlanExecutor) session;
    Path countriesDir = dir.resolve("countries");
    rows(session, "INSERT OVERWRITE DIRECTORY '" + countriesDir + "' USING parquet"
        + " SELECT * FROM VALUES ('DE', 'Germany'), ('FR', 'France') AS t(code, name); SELECT 1");
    orders = DatasetSpec.builder().name("orders").format("csv").path(dir.resolve("orders.csv").toString())
        .putOptions("header", "true").build();
    customers = DatasetSpec.builder().name("customers").format("json").path(dir.resolve("customers.json").toString()).build();
    countries = DatasetSpec.builder().name("countries").format("parquet").path(countriesDir.toString()).build();
  }

  @AfterAll
  static void tearDown() {
    connection.close();
  }

  static DatasetSpec parquetOut(String name) {
    return DatasetSpec.builder().name(name).format("parquet").path(dir.resolve("out").resolve(name).toString()).build();
  }

  static long countParquet(DatasetSpec d) throws InterruptedException {
    return (Long) rows(session, "SELECT count(*) FROM parquet.`" + d.path().orElseThrow() + "`").get(0).get(0);
  }

  /** Orders, customers and countries, joined, filtered, aggregated and written. */
  static PipelinePlan daily(DatasetSpec out, boolean samples) {
    PipelinePlan.Step paid = transform("Paid", "SELECT * FROM With_Customer WHERE status = 'PAID'", "With_Customer");
    PipelinePlan.Step byCountry = transform("By_Country",
        "SELECT country, sum(amount) AS revenue, count(*) AS orders FROM Paid GROUP BY country", "Paid");
    return plan("daily", 3,
        read("Orders", orders),
        read("Customers", customers),
        read("Countries", countries),
        transform("With_Customer", "SELECT o.id, o.amount, o.status, c.country FROM Orders o"
            + " JOIN Customers c ON o.customer_id = c.id", "Orders", "Customers"),
        samples ? sampled(paid) : paid,
        samples ? sampled(byCountry) : byCountry,
        transform("Named", "SELECT b.*, n.name FROM By_Country b LEFT JOIN Countries n ON b.country = n.code",
            "By_Country", "Countries"),
        write("Revenue", "Named", out, "overwrite"));
  }

  /** The rows each gem of {@link #daily} gives, computed from the test's own data. */
  static Map<String, Long> dailyCounts() {
    List<Order> joined = ORDERS.stream().filter(o -> o.customerId() < CUSTOMERS.size()).toList();
    List<Order> paid = joined.stream().filter(o -> o.status().equals("PAID")).toList();
    long countries = paid.stream().map(o -> CUSTOMERS.get(o.customerId()).country()).distinct().count();
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("Orders", (long) ORDERS.size());
    m.put("Customers", (long) CUSTOMERS.size());
    m.put("Countries", 2L);
    m.put("With_Customer", (long) joined.size());
    m.put("Paid", (long) paid.size());
    m.put("By_Country", countries);
    m.put("Named", countries);
    m.put("Revenue", countries);
    return m;
  }

  static Map<String, Long> counts(Result r) {
    Map<String, Long> m = new LinkedHashMap<>();
    r.outcomes().forEach(o -> m.put(o.gem(), o.rows()));
    return m;
  }

  static Result run(PipelinePlan plan) throws InterruptedException {
    return executor.execute(plan, PlanExecutor.Listener.NONE).await(WAIT);
  }

  /** Records the listener's calls. */
  static final class Recorder implements PlanExecutor.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void stepStarted(String gem) {
      events.add("start " + gem);
    }

    @Override
    public void stepFinished(Outcome outcome) {
      events.add("end " + outcome.gem());
    }
  }

  @Test
  void withoutSamplesOneWriteCountsEveryGemExactlyAndTheyShareItsDuration() throws Exception {
    DatasetSpec out = parquetOut("revenue_fused");
    Recorder recorder = new Recorder();

    Result r = executor.execute(daily(out, false), recorder).await(WAIT);

    assertThat(r.status()).as(String.valueOf(r.failure())).isEqualTo(Status.SUCCEEDED);
    assertThat(counts(r)).containsExactlyEntriesOf(dailyCounts());
    assertThat(countParquet(out)).isEqualTo(dailyCounts().get("Revenue"));
    assertThat(r.outcomes()).allSatisfy(o -> assertThat(o.sample()).isEmpty());
    assertThat(r.outcomes().stream().map(Outcome::duration).distinct()).hasSize(1);
    for (String gem : dailyCounts().keySet()) {
      assertThat(recorder.events).containsOnlyOnce("start " + gem, "end " + gem);
      assertThat(recorder.events.indexOf("start " + gem)).isLessThan(recorder.events.indexOf("end " + gem));
    }
  }

  @Test
  void withSamplesEveryStepIsCountedAndSampledWithinTheBoundAndTheCacheIsReleased() throws Exception {
    DatasetSpec out = parquetOut("revenue_sampled");

    Result r = run(daily(out, true));

    assertThat(r.status()).as(String.valueOf(r.failure())).isEqualTo(Status.SUCCEEDED);
    assertThat(counts(r)).containsExactlyEntriesOf(dailyCounts());
    assertThat(countParquet(out)).isEqualTo(dailyCounts().get("Revenue"));
    Map<String, Outcome> byGem = r.outcomes().stream().collect(Collectors.toMap(Outcome::gem, o -> o));
    ResultTable paid = byGem.get("Paid").sample().orElseThrow();
    assertThat(paid.rows()).hasSize(3);
    assertThat(paid.truncated()).isTrue();
    assertThat(paid.columns()).extracting(ResultTable.Column::name).containsExactly("id", "amount", "status", "country");
    assertThat(paid.rows()).allSatisfy(row -> assertThat(row.get(2)).isEqualTo("PAID"));
    ResultTable byCountry = byGem.get("By_Country").sample().orElseThrow();
    assertThat(byCountry.rows()).hasSize((int) Math.min(3, dailyCounts().get("By_Country")));
    assertThat(byCountry.truncated()).isEqualTo(dailyCounts().get("By_Country") > 3);
    assertThat(byGem.get("Orders").sample()).isEmpty();
    assertThat(((SparkFabricConnection) connection).spark().sharedState().cacheManager().isEmpty()).isTrue();
  }

  @Test
  void aGemFeedingTwoTargetsIsCountedOnceAndEachTargetGetsItsRows() throws Exception {
    DatasetSpec all = parquetOut("paid_all");
    DatasetSpec big = DatasetSpec.builder().name("paid_big").format("json")
        .path(dir.resolve("out").resolve("paid_big").toString()).build();
    PipelinePlan plan = plan("two_targets", 5,
        read("Orders", orders),
        transform("Paid", "SELECT * FROM Orders WHERE status = 'PAID'", "Orders"),
        transform("Big", "SELECT * FROM Paid WHERE amount > 30", "Paid"),
        write("All_Paid", "Paid", all, "overwrite"),
        write("Big_Paid", "Big", big, "overwrite"));
    long paid = ORDERS.stream().filter(o -> o.status().equals("PAID")).count();
    long bigPaid = ORDERS.stream().filter(o -> o.status().equals("PAID") && o.amount() > 30).count();

    for (boolean samples : List.of(false, true)) {
      PipelinePlan p = samples ? plan("two_targets", 5, plan.steps().stream().map(SparkFixtures::sampled)
          .toArray(PipelinePlan.Step[]::new)) : plan;
      Result r = run(p);

      assertThat(r.status()).as(String.valueOf(r.failure())).isEqualTo(Status.SUCCEEDED);
      assertThat(counts(r)).as("samples: " + samples).containsExactly(Map.entry("Orders", (long) ORDERS.size()),
          Map.entry("Paid", paid), Map.entry("Big", bigPaid), Map.entry("All_Paid", paid), Map.entry("Big_Paid", bigPaid));
      assertThat(countParquet(all)).isEqualTo(paid);
      assertThat(rows(session, "SELECT count(*) FROM json.`" + big.path().orElseThrow() + "`"))
          .containsExactly(List.of(bigPaid));
    }
  }

  /**
   * Each plan makes Orders' first count come from a query that reads it in a way observation alone
   * could get wrong: twice in one join (merge or broadcast), under a LIMIT (which stops reading early),
   * or joined with a side that turns out empty (which adaptive execution may skip).
   */
  @Test
  void selfJoinsLimitsAndEmptyJoinSidesStillGiveExactCounts() throws Exception {
    long n = ORDERS.size();
    Map<PipelinePlan, Map<String, Long>> cases = new LinkedHashMap<>();
    cases.put(plan("self_join_merge", 5, read("Orders", orders),
        transform("Pairs", "SELECT /*+ MERGE(a, b) */ a.id, b.amount FROM Orders a JOIN Orders b ON a.id = b.id",
            "Orders")), Map.of("Orders", n, "Pairs", n));
    cases.put(plan("self_join_broadcast", 5, read("Orders", orders),
        transform("Pairs", "SELECT /*+ BROADCAST(b) */ a.id, b.amount FROM Orders a JOIN Orders b ON a.id = b.id",
            "Orders")), Map.of("Orders", n, "Pairs", n));
    cases.put(plan("limit", 5, read("Orders", orders),
        transform("Paid", "SELECT * FROM Orders WHERE status = 'PAID'", "Orders"),
        transform("First_3", "SELECT * FROM Paid LIMIT 3", "Paid")),
        Map.of("Orders", n, "Paid", ORDERS.stream().filter(o -> o.status().equals("PAID")).count(), "First_3", 3L));
    cases.put(plan("empty_side", 5, read("Orders", orders),
        transform("Negative", "SELECT * FROM Orders WHERE amount < 0", "Orders"),
        transform("Joined", "SELECT o.* FROM Orders o JOIN Negative n ON o.id = n.id", "Orders", "Negative")),
        Map.of("Orders", n, "Negative", 0L, "Joined", 0L));

    for (var c : cases.entrySet()) {
      Result r = run(c.getKey());

      assertThat(r.status()).as(c.getKey().pipeline() + ": " + r.failure()).isEqualTo(Status.SUCCEEDED);
      assertThat(counts(r)).as(c.getKey().pipeline()).isEqualTo(c.getValue());
    }
  }

  @Test
  void aSortedAggregateUnderALimitStartsNoMoreSparkJobsThanThePlainQueryAndCountsExactly() throws Exception {
    DatasetSpec out = parquetOut("top_customers");
    String orderCsv = orders.path().orElseThrow();
    org.apache.spark.sql.SparkSession spark = ((SparkFabricConnection) connection).spark();
    AtomicInteger jobs = new AtomicInteger();
    org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
        jobs.incrementAndGet();
      }
    };
    spark.sparkContext().addSparkListener(counter);
    try {
      // the plain query, written as the pipeline writes it
      spark.read().option("header", "true").option("inferSchema", "true").csv(orderCsv).createOrReplaceTempView("o");
      spark.sql("SELECT customer_id, sum(amount) AS total FROM o GROUP BY customer_id ORDER BY total DESC LIMIT 3")
          .write().mode("overwrite").parquet(dir.resolve("out/top_plain").toString());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      int plain = jobs.getAndSet(0);

      Result r = run(plan("top", 3, read("Orders", orders),
          transform("Totals", "SELECT customer_id, sum(amount) AS total FROM Orders GROUP BY customer_id", "Orders"),
          transform("Largest", "SELECT * FROM Totals ORDER BY total DESC", "Totals"),
          transform("Top_3", "SELECT * FROM Largest LIMIT 3", "Largest"),
          write("Top", "Top_3", out, "overwrite")));
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertThat(r.status()).as("%s", r.failure()).isEqualTo(Status.SUCCEEDED);
      assertThat(counts(r)).isEqualTo(Map.of("Orders", 50L, "Totals", 7L, "Largest", 7L, "Top_3", 3L, "Top", 3L));
      // both infer the CSV's schema; an observation between the sort and the limit (no top-K sort) and the
      // recounts it forces would add jobs: 10 against the plain query's 4 before the gems that only sort or
      // project took their input's count
      assertThat(jobs.get()).as("Spark jobs of the run (the plain query started %s)", plain).isLessThanOrEqualTo(plain);
    } finally {
      spark.sparkContext().removeSparkListener(counter);
    }
  }

  @Test
  void withoutCountsOnlyTheTargetIsCountedAndTheFilterReachesTheScan() throws Exception {
    long paid = ORDERS.stream().filter(o -> o.status().equals("PAID")).count();
    Map<Boolean, String> scans = new LinkedHashMap<>();
    for (boolean count : List.of(true, false)) {
      DatasetSpec out = parquetOut("paid_" + count);
      PipelinePlan p = plan("paid", 3, read("Orders", orders),
          transform("Paid", "SELECT * FROM Orders WHERE status = 'PAID'", "Orders"),
          write("Written", "Paid", out, "overwrite"));
      Result[] r = new Result[1];
      List<String> plans = executions(() -> r[0] = run(new PipelinePlan(p.pipeline(), p.steps(), p.sampleRows(), count)));
      assertThat(r[0].status()).as("%s", r[0].failure()).isEqualTo(Status.SUCCEEDED);
      assertThat(counts(r[0])).isEqualTo(count
          ? Map.of("Orders", (long) ORDERS.size(), "Paid", paid, "Written", paid)
          : Map.of("Written", paid));
      assertThat(countParquet(out)).isEqualTo(paid);
      scans.put(count, plans.stream().filter(d -> d.contains("Execute InsertIntoHadoopFsRelationCommand"))
          .findFirst().orElse(String.join("\n---\n", plans)));
    }
    // counting every gem observes the source's output, which keeps the filter above the observation;
    // without counts the scan takes the filter, as it does for the plain query
    assertThat(scans.get(false)).contains("PushedFilters: [IsNotNull(status), EqualTo(status,PAID)]")
        .contains("CollectMetrics").doesNotContain("prophecy_gem_0", "prophecy_gem_1");
    assertThat(scans.get(true)).contains("prophecy_gem_0", "CollectMetrics").doesNotContain("EqualTo(status,PAID)");
  }


  /** The physical plan descriptions of the SQL executions {@code body} starts on the fabric's context. */
  static List<String> executions(ThrowingRunnable body) throws Exception {
    org.apache.spark.sql.SparkSession spark = ((SparkFabricConnection) connection).spark();
    List<String> plans = new CopyOnWriteArrayList<>();
    org.apache.spark.scheduler.SparkListener planned = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onOtherEvent(org.apache.spark.scheduler.SparkListenerEvent e) {
        if (e instanceof org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart start) {
          plans.add(start.physicalPlanDescription());
        }
      }
    };
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(planned);
    try {
      body.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(planned);
    }
    return List.copyOf(plans);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static PipelinePlan uncounted(PipelinePlan p) {
    return new PipelinePlan(p.pipeline(), p.steps(), p.sampleRows(), false);
  }

  static long viewCommands(List<String> plans) {
    return plans.stream().filter(d -> d.contains("CreateViewCommand")).count();
  }

  /** The view commands among the executions, and the views they define. */
  static List<String> viewsDefined(List<String> plans) {
    List<String> out = new ArrayList<>();
    // "(2) CreateViewCommand" then "Arguments: `Name`, ..." in Spark's formatted plan
    java.util.regex.Pattern view = java.util.regex.Pattern.compile("\\(\\d+\\) CreateViewCommand\\s*\\nArguments: `([^`]*)`");
    for (String d : plans) {
      java.util.regex.Matcher m = view.matcher(d);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Test
  void withoutCountsEachTargetIsOneStatementAndOnlyTheSourcesBecomeViewsWhichTheNextRunsKeep() throws Exception {
    DatasetSpec out = parquetOut("revenue_statement");
    DatasetSpec counted = parquetOut("revenue_counted");
    Map<String, Result> results = new LinkedHashMap<>();
    List<String> statement = executions(() -> results.put("uncounted", run(uncounted(daily(out, false)))));
    List<String> again = executions(() -> results.put("again", run(uncounted(daily(out, false)))));
    List<String> perStep = executions(() -> results.put("counted", run(daily(counted, false))));

    Result r = results.get("uncounted");
    assertThat(r.status()).as("%s", r.failure()).isEqualTo(Status.SUCCEEDED);
    assertThat(counts(r)).isEqualTo(Map.of("Revenue", dailyCounts().get("Revenue")));
    assertThat(countParquet(out)).isEqualTo(dailyCounts().get("Revenue"));
    assertThat(rows(session, "SELECT * FROM parquet.`" + out.path().orElseThrow() + "` ORDER BY country"))
        .isEqualTo(rows(session, "SELECT * FROM parquet.`" + counted.path().orElseThrow() + "` ORDER BY country"));
    // at most a view per source (earlier tests may have left them kept); the four gems between them and
    // the target are inside the target's statement
    assertThat(viewsDefined(statement)).as("%s", statement).hasSizeLessThanOrEqualTo(3)
        .allSatisfy(v -> assertThat(v).startsWith("__prophecy_source_"));
    assertThat(statement).filteredOn(d -> d.contains("InsertIntoHadoopFsRelationCommand")).singleElement()
        .satisfies(d -> assertThat(d).contains("CollectMetrics"));
    // the files did not change: the next run defines no view at all
    assertThat(results.get("again").status()).isEqualTo(Status.SUCCEEDED);
    assertThat(counts(results.get("again"))).isEqualTo(counts(r));
    assertThat(viewCommands(again)).as("%s", again).isZero();
    // counting every gem defines a view per source and per gem, in a session of the run's own
    assertThat(viewsDefined(perStep)).containsExactly("Orders", "Customers", "Countries", "With_Customer", "Paid",
        "By_Country", "Named");
  }

  @Test
  void withoutCountsTwoTargetsAreTwoStatementsThatEachGetTheirRows() throws Exception {
    DatasetSpec all = parquetOut("paid_all_statement");
    DatasetSpec big = parquetOut("paid_big_statement");
    PipelinePlan plan = uncounted(plan("two_targets", 5,
        read("Orders", orders),
        transform("Paid", "SELECT * FROM Orders WHERE status = 'PAID'", "Orders"),
        transform("Big", "SELECT * FROM Paid WHERE amount > 30", "Paid"),
        transform("Unread", "SELECT status, count(*) AS n FROM Orders GROUP BY status", "Orders"),
        write("All_Paid", "Paid", all, "overwrite"),
        write("Big_Paid", "Big", big, "overwrite")));
    long paid = ORDERS.stream().filter(o -> o.status().equals("PAID")).count();
    long bigPaid = ORDERS.stream().filter(o -> o.status().equals("PAID") && o.amount() > 30).count();
    long statuses = ORDERS.stream().map(Order::status).distinct().count();
    Result[] r = new Result[1];

    List<String> plans = executions(() -> r[0] = run(plan));

    assertThat(r[0].status()).as("%s", r[0].failure()).isEqualTo(Status.SUCCEEDED);
    assertThat(counts(r[0])).containsExactly(Map.entry("Unread", statuses), Map.entry("All_Paid", paid),
        Map.entry("Big_Paid", bigPaid));
    assertThat(countParquet(all)).isEqualTo(paid);
    assertThat(countParquet(big)).isEqualTo(bigPaid);
    assertThat(viewsDefined(plans)).hasSizeLessThanOrEqualTo(1).allSatisfy(v -> assertThat(v).startsWith("__prophecy_source_"));
  }

  @Test
  void aKeptSourceIsReadAgainWhenItsFileChanges() throws Exception {
    Path file = dir.resolve("changing.csv");
    Files.writeString(file, "id,status\n1,PAID\n2,OPEN\n");
    DatasetSpec changing = DatasetSpec.builder().name("changing").format("csv").path(file.toString())
        .putOptions("header", "true").build();
    DatasetSpec out = parquetOut("changing_out");
    PipelinePlan plan = uncounted(plan("changing", 5, read("Changing", changing),
        transform("Paid", "SELECT * FROM Changing WHERE status = 'PAID'", "Changing"),
        write("Out", "Paid", out, "overwrite")));

    assertThat(counts(run(plan))).isEqualTo(Map.of("Out", 1L));
    assertThat(counts(run(plan))).isEqualTo(Map.of("Out", 1L));
    Files.writeString(file, "id,status\n1,PAID\n2,OPEN\n3,PAID\n4,PAID\n");
    assertThat(counts(run(plan))).isEqualTo(Map.of("Out", 3L));
    assertThat(countParquet(out)).isEqualTo(3);
    // a file removed: the run fails naming the source, as a run without a kept view would
    Files.delete(file);
    Result gone = run(plan);
    assertThat(gone.status()).isEqualTo(Status.FAILED);
    assertThat(gone.failure().orElseThrow().gem()).isEqualTo("Changing");
  }

  @Test
  void withoutCountsAGemThatCannotStandInsideWithRunsAViewPerStepAndStillWrites() throws Exception {
    DatasetSpec out = parquetOut("semicolon");
    // a statement may end with a semicolon; a common table expression may not
    PipelinePlan plan = uncounted(plan("semicolon", 5,
        read("Orders", orders),
        transform("Paid", "SELECT * FROM Orders WHERE status = 'PAID';", "Orders"),
        transform("Ids", "SELECT id FROM Paid", "Paid"),
        write("Out", "Ids", out, "overwrite")));
    long paid = ORDERS.stream().filter(o -> o.status().equals("PAID")).count();
    Result[] r = new Result[1];

    List<String> plans = executions(() -> r[0] = run(plan));

    assertThat(r[0].status()).as("%s", r[0].failure()).isEqualTo(Status.SUCCEEDED);
    assertThat(counts(r[0])).isEqualTo(Map.of("Out", paid));
    assertThat(countParquet(out)).isEqualTo(paid);
    // the statement did not parse: a view per step in the run's own session
    assertThat(viewsDefined(plans)).containsSubsequence("Orders", "Paid", "Ids");
  }

  @Test
  void aFieldThatDoesNotResolveFailsNamingTheGemAndTheFieldInBothModes() throws Exception {
    DatasetSpec out = parquetOut("never_written");
    PipelinePlan.Step bad = transform("Doubled", "SELECT id, amout * 2 AS doubled FROM Orders",
        List.of(new Probe("columns[0].expression", "SELECT id FROM Orders"),
            new Probe("columns[1].expression", "SELECT amout * 2 FROM Orders")), "Orders");
    for (String mode : List.of("counted", "uncounted", "samples")) {
      boolean samples = mode.equals("samples");
      PipelinePlan.Step first = samples ? sampled(read("Orders", orders)) : read("Orders", orders);
      PipelinePlan plan = plan("bad", 5, first, bad, write("Out", "Doubled", out, "overwrite"));
      Result r = run(mode.equals("uncounted") ? uncounted(plan) : plan);

      assertThat(r.status()).isEqualTo(Status.FAILED);
      PlanExecutor.Failure f = r.failure().orElseThrow();
      assertThat(f.gem()).isEqualTo("Doubled");
      assertThat(f.field()).contains("columns[1].expression");
      assertThat(f.message()).startsWith("[UNRESOLVED_COLUMN").contains("`amout`").doesNotContain("\n");
      assertThat(f.detail()).hasValueSatisfying(d -> assertThat(d).contains("amout"));
      assertThat(counts(r).keySet()).isEqualTo(samples ? java.util.Set.of("Orders") : java.util.Set.of());
      assertThat(Path.of(out.path().orElseThrow())).doesNotExist();
    }
  }

  @Test
  void aDatasetColumnOfAnUnknownTypeFailsNamingTheSourceInEveryMode() throws Exception {
    DatasetSpec typed = DatasetSpec.builder().name("orders_typed").format("csv")
        .path(orders.path().orElseThrow()).putOptions("header", "true")
        .addSchema(DatasetSpec.Column.of("id", "int"), DatasetSpec.Column.of("customer_id", "int"),
            DatasetSpec.Column.of("amount", "monetary"), DatasetSpec.Column.of("status", "string"))
        .build();
    DatasetSpec out = parquetOut("typed_never_written");
    for (String mode : List.of("counted", "uncounted", "samples")) {
      boolean samples = mode.equals("samples");
      PipelinePlan.Step source = samples ? sampled(read("Typed", typed)) : read("Typed", typed);
      PipelinePlan plan = plan("typed", 5, source,
          transform("Paid", "SELECT id, amount FROM Typed WHERE status = 'paid'", List.of(), "Typed"),
          write("Out", "Paid", out, "overwrite"));
      Result r = run(mode.equals("uncounted") ? uncounted(plan) : plan);

      assertThat(r.status()).as(mode).isEqualTo(Status.FAILED);
      PlanExecutor.Failure f = r.failure().orElseThrow();
      assertThat(f.gem()).as(mode).isEqualTo("Typed");
      assertThat(f.field()).as(mode).hasValue("dataset.schema[2].type");
      assertThat(f.message()).as(mode).startsWith("column 'amount' of dataset 'orders_typed' has type 'monetary'")
          .contains("UNSUPPORTED_DATATYPE");
      assertThat(counts(r)).as(mode).isEmpty();
      assertThat(Path.of(out.path().orElseThrow())).as(mode).doesNotExist();
    }
  }

  @Test
  void aRuntimeErrorInsideAFusedJobIsBlamedOnTheGemThatRaisesIt() throws Exception {
    try (ExecutionSession ansi = connection.openSession(SessionOptions.builder().language(SPARK_SQL)
        .putConf("spark.sql.ansi.enabled", "true").build())) {
      DatasetSpec out = parquetOut("casted");
      PipelinePlan plan = plan("runtime", 5,
          read("Orders", orders),
          transform("Casted", "SELECT id, CAST(status AS INT) AS status_code FROM Orders", "Orders"),
          transform("Kept", "SELECT * FROM Casted WHERE id >= 0", "Casted"),
          write("Out", "Kept", out, "overwrite"));

      // a gem that cannot stand inside WITH sends the uncounted run back to a view per step
      PipelinePlan semicolon = uncounted(plan("runtime", 5,
          read("Orders", orders),
          transform("Casted", "SELECT id, CAST(status AS INT) AS status_code FROM Orders", "Orders"),
          transform("Kept", "SELECT * FROM Casted WHERE id >= 0;", "Casted"),
          write("Out", "Kept", out, "overwrite")));
      for (PipelinePlan p : List.of(plan, uncounted(plan), semicolon)) {
        Result r = ((PlanExecutor) ansi).execute(p, PlanExecutor.Listener.NONE).await(WAIT);

        assertThat(r.status()).as("counted: %s", p.countRows()).isEqualTo(Status.FAILED);
        assertThat(r.failure().orElseThrow().gem()).as("%s", p.steps().get(2).sql()).isEqualTo("Casted");
        assertThat(r.failure().orElseThrow().message()).startsWith("[CAST_INVALID_INPUT]");
        assertThat(Path.of(out.path().orElseThrow(), "_SUCCESS")).doesNotExist();
      }
    }
  }

  @Test
  void writingOverAnExistingPathInErrorModeFailsNamingTheTarget() throws Exception {
    DatasetSpec out = DatasetSpec.builder().name("once").format("json").path(dir.resolve("out/once").toString()).build();
    PipelinePlan plan = plan("once", 5, read("Orders", orders), write("Once", "Orders", out, "error"));
    assertThat(run(plan).status()).isEqualTo(Status.SUCCEEDED);

    Result again = run(plan);

    assertThat(again.status()).isEqualTo(Status.FAILED);
    assertThat(again.failure().orElseThrow().gem()).isEqualTo("Once");
    assertThat(again.failure().orElseThrow().message()).contains("already exists");
  }

  @Test
  void analysisResolvesSchemasWithoutReadingDeclaredSourcesOrWriting() {
    DatasetSpec missing = DatasetSpec.builder().name("missing").format("csv").path(dir.resolve("no/such.csv").toString())
        .putOptions("header", "true")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("price", "decimal(10,2)"),
            DatasetSpec.Column.of("day", "date"))
        .build();
    DatasetSpec out = parquetOut("analysed");
    PipelinePlan plan = plan("analysed", 5,
        read("Missing", missing),
        transform("Priced", "SELECT id, price * 2 AS double_price, year(day) AS y FROM Missing", "Missing"),
        write("Out", "Priced", out, "overwrite"));

    PlanExecutor.Analysis a = executor.analyze(plan);

    assertThat(a.failure()).isEmpty();
    assertThat(a.schemas().get("Missing")).containsExactly(new ResultTable.Column("id", "bigint"),
        new ResultTable.Column("price", "decimal(10,2)"), new ResultTable.Column("day", "date"));
    assertThat(a.schemas().get("Priced")).extracting(ResultTable.Column::name).containsExactly("id", "double_price", "y");
    assertThat(a.schemas().get("Priced").get(2).type()).isEqualTo("int");
    assertThat(a.schemas()).containsKey("Out");
    assertThat(Path.of(out.path().orElseThrow())).doesNotExist();
  }

  @Test
  void analysisStopsAtTheFirstFailingStepNamingItsField() {
    PipelinePlan plan = plan("analysed_bad", 5,
        read("Orders", orders),
        transform("Good", "SELECT id, amount FROM Orders", "Orders"),
        transform("Bad", "SELECT id, upper(stats) AS s FROM Good",
            List.of(new Probe("columns[0]", "SELECT id FROM Good"), new Probe("columns[1]", "SELECT upper(stats) FROM Good")),
            "Good"),
        transform("After", "SELECT * FROM Bad", "Bad"));

    PlanExecutor.Analysis a = executor.analyze(plan);

    assertThat(a.schemas()).containsOnlyKeys("Orders", "Good");
    assertThat(a.schemas().get("Orders")).extracting(ResultTable.Column::type)
        .containsExactly("int", "int", "double", "string");
    PlanExecutor.Failure f = a.failure().orElseThrow();
    assertThat(f.gem()).isEqualTo("Bad");
    assertThat(f.field()).contains("columns[1]");
    assertThat(f.message()).contains("`stats`");
  }

  @Test
  void aRunningPlanIsCancelledInEitherMode() throws Exception {
    String endless = "SELECT count(*) AS c FROM range(1000000000) a CROSS JOIN range(1000000000) b WHERE a.id + b.id = -1";
    for (String mode : List.of("counted", "uncounted", "samples")) {
      boolean samples = mode.equals("samples");
      PipelinePlan.Step first = samples ? sampled(read("Orders", orders)) : read("Orders", orders);
      PipelinePlan.Step slow = transform("Endless", endless + " AND a.id > (SELECT count(*) FROM Orders)", "Orders");
      CountDownLatch started = new CountDownLatch(1);
      PipelinePlan plan = plan("endless", 5, first, samples ? sampled(slow) : slow);
      PlanExecutor.PlanExecution running = executor.execute(mode.equals("uncounted") ? uncounted(plan) : plan,
          new PlanExecutor.Listener() {
            @Override
            public void stepStarted(String gem) {
              if (gem.equals("Endless")) {
                started.countDown();
              }
            }
          });
      assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      running.cancel();

      Result r = running.await(WAIT);
      assertThat(r.status()).isEqualTo(Status.CANCELLED);
      assertThat(running.status()).isEqualTo(Status.CANCELLED);
      assertThat(counts(r).keySet()).isEqualTo(samples ? java.util.Set.of("Orders") : java.util.Set.of());
    }
    assertThat(((SparkFabricConnection) connection).spark().sharedState().cacheManager().isEmpty()).isTrue();
    assertThat(run(plan("after", 5, read("Orders", orders))).status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void viewsOfOneRunDoNotReachTheNextRunOrTheSqlSession() throws Exception {
    Result a = run(plan("a", 5, read("Orders", orders), transform("Only_In_A", "SELECT id FROM Orders", "Orders")));
    assertThat(a.status()).isEqualTo(Status.SUCCEEDED);

    Result b = run(plan("b", 5, transform("Reader", "SELECT * FROM Only_In_A", "Only_In_A")));

    assertThat(b.status()).isEqualTo(Status.FAILED);
    assertThat(b.failure().orElseThrow().message()).startsWith("[TABLE_OR_VIEW_NOT_FOUND]");
    assertThat(sql(session, "SELECT * FROM Only_In_A").error())
        .hasValueSatisfying(e -> assertThat(e).startsWith("[TABLE_OR_VIEW_NOT_FOUND]"));
  }

  @Test
  void csvOptionsDeclaredSchemasPartitionsAndCatalogTablesRoundTrip() throws Exception {
    Files.writeString(dir.resolve("people.csv"), "id;name\n1;ann\n2;bob\n3;cy\n");
    DatasetSpec people = DatasetSpec.builder().name("people").format("csv").path(dir.resolve("people.csv").toString())
        .putOptions("header", "true").putOptions("separator", ";")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("name", "string")).build();
    DatasetSpec byStatus = DatasetSpec.builder().name("by_status").format("parquet")
        .path(dir.resolve("out/by_status").toString()).putOptions("partitionColumns", "[\"status\"]").build();
    DatasetSpec table = DatasetSpec.builder().name("people_table").format("catalogTable").table("people_table").build();

    Result written = run(plan("round_trip", 5,
        sampled(read("People", people)),
        read("Orders", orders),
        write("By_Status", "Orders", byStatus, "overwrite"),
        write("To_Table", "People", table, "overwrite")));
    Result readBack = run(plan("read_back", 5, sampled(read("From_Table", table))));
    DatasetSpec ordersTable = DatasetSpec.builder().name("orders_table").format("catalogTable").table("orders_table").build();
    Result fusedToTable = run(plan("to_table", 5, read("Orders", orders), write("To_Orders_Table", "Orders", ordersTable, "overwrite")));

    assertThat(written.status()).as(String.valueOf(written.failure())).isEqualTo(Status.SUCCEEDED);
    ResultTable sample = written.outcomes().get(0).sample().orElseThrow();
    assertThat(sample.columns()).containsExactly(new ResultTable.Column("id", "bigint"), new ResultTable.Column("name", "string"));
    assertThat(sample.rows()).containsExactly(List.of(1L, "ann"), List.of(2L, "bob"), List.of(3L, "cy"));
    assertThat(dir.resolve("out/by_status/status=PAID")).isDirectory();
    assertThat(dir.resolve("work/warehouse/people_table")).isDirectory();
    assertThat(readBack.status()).as(String.valueOf(readBack.failure())).isEqualTo(Status.SUCCEEDED);
    assertThat(readBack.outcomes().get(0).rows()).isEqualTo(3);
    List<List<Object>> sampleBack = new ArrayList<>(readBack.outcomes().get(0).sample().orElseThrow().rows());
    sampleBack.sort((x, y) -> Long.compare((Long) x.get(0), (Long) y.get(0)));
    assertThat(sampleBack).isEqualTo(sample.rows());
    assertThat(counts(fusedToTable)).containsExactly(Map.entry("Orders", (long) ORDERS.size()),
        Map.entry("To_Orders_Table", (long) ORDERS.size()));
    assertThat(rows(session, "SELECT count(*) FROM orders_table")).containsExactly(List.of((long) ORDERS.size()));
  }
}

package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.ResultTable;
import io.prophecy.sdk.spi.SessionOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions over the Command Execution API 1.2, scripted request by request: the context's life, execute,
 * adaptive polling, the mapping of results, cancel, and the shutdown hook.
 */
class CommandSessionTest {
  static final String CLUSTER = "0923-164208-meows279";
  static final String CTX = "1793653964133248955";
  static final String CMD = "5e3f0b0b8b6d4c7a9d1c1f1f2a3b4c5d";
  static final String CTX_STATUS = "/api/1.2/contexts/status?clusterId=" + CLUSTER + "&contextId=" + CTX;
  static final String CMD_STATUS = "/api/1.2/commands/status?clusterId=" + CLUSTER + "&contextId=" + CTX
      + "&commandId=" + CMD;
  static final String DESTROY = "{\"clusterId\":\"" + CLUSTER + "\",\"contextId\":\"" + CTX + "\"}";

  private MockWorkspace ws;
  private DatabricksFabricConnection connection;

  @BeforeEach
  void start() throws Exception {
    ws = new MockWorkspace();
    connection = ws.connect(ws.settings().withClusterId(CLUSTER));
  }

  @AfterEach
  void stop() {
    connection.close();
    ws.close();
  }

  private void enqueueOpen() {
    ws.enqueue(200, ClustersClientTest.cluster("RUNNING", ""));
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    ws.enqueue(200, "{\"id\":\"" + CTX + "\",\"status\":\"Pending\"}");
    ws.enqueue(200, "{\"id\":\"" + CTX + "\",\"status\":\"Running\"}");
  }

  private void takeOpen(String language) throws Exception {
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=" + CLUSTER);
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"" + CLUSTER + "\",\"language\":\"" + language + "\"}");
    ws.take("GET", CTX_STATUS);
    ws.take("GET", CTX_STATUS);
  }

  private static String status(String status, String results) {
    return "{\"id\":\"" + CMD + "\",\"status\":\"" + status + "\"" + (results == null ? "" : ",\"results\":" + results)
        + "}";
  }

  private ExecutionResult runOne(CodeLanguage language, String code, String finished) throws Exception {
    enqueueOpen();
    ws.enqueue(200, "{\"id\":\"" + CMD + "\"}");
    ws.enqueue(200, status("Running", null));
    ws.enqueue(200, finished);
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    try (ExecutionSession session = connection.openSession(SessionOptions.of(language))) {
      return session.submit(new CodeUnit("gem", language, code)).await(Duration.ofMinutes(1));
    }
  }

  @Test
  void opensRunsPollsAndDestroysItsContext() throws Exception {
    enqueueOpen();
    ws.enqueue(200, "{\"id\":\"" + CMD + "\"}");
    ws.enqueue(200, status("Queued", null));
    ws.enqueue(200, status("Running", null));
    ws.enqueue(200, status("Running", null));
    ws.enqueue(200, status("Running", null));
    ws.enqueue(200, status("Finished", "{\"resultType\":\"table\",\"data\":[[1,\"DE\",376.35],[2,\"NL\",null]],"
        + "\"schema\":[{\"name\":\"id\",\"type\":\"\\\"long\\\"\",\"metadata\":\"{}\"},"
        + "{\"name\":\"country\",\"type\":\"\\\"string\\\"\",\"metadata\":\"{}\"},"
        + "{\"name\":\"revenue\",\"type\":\"\\\"decimal(10,2)\\\"\",\"metadata\":\"{}\"}],"
        + "\"truncated\":false,\"isJsonSchema\":true}"));
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");

    ExecutionResult result;
    try (ExecutionSession session = connection.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
      assertThat(connection.openContexts()).containsExactly(new ContextRegistry.Context(CLUSTER, CTX));
      Execution run = session.submit(new CodeUnit("By_Country", CodeLanguage.sql("spark"),
          "SELECT id, country, revenue FROM by_country"));
      assertThat(run.id()).isEqualTo(CMD);
      result = run.await(Duration.ofMinutes(5));
    }

    assertThat(result.status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
    assertThat(result.error()).isEmpty();
    assertThat(result.tables()).containsExactly(ResultTable.builder()
        .addColumns(new ResultTable.Column("id", "long"), new ResultTable.Column("country", "string"),
            new ResultTable.Column("revenue", "decimal(10,2)"))
        .addRows(List.of(1L, "DE", new BigDecimal("376.35")), Arrays.asList(2L, "NL", null))
        .build());
    takeOpen("sql");
    ws.takePost("/api/1.2/commands/execute", "{\"clusterId\":\"" + CLUSTER + "\",\"contextId\":\"" + CTX + "\","
        + "\"language\":\"sql\",\"command\":\"SELECT id, country, revenue FROM by_country\"}");
    for (int i = 0; i < 5; i++) {
      ws.take("GET", CMD_STATUS);
    }
    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
    assertThat(connection.openContexts()).isEmpty();
    // context: 100 ms; command: 100 ms while Queued, then 100 ms until a fifth of the time waited is more
    assertThat(ws.test.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100),
        Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100));
  }

  @Test
  void pollingStartsShortAgainWhenTheCommandLeavesTheQueue() throws Exception {
    enqueueOpen();
    ws.enqueue(200, "{\"id\":\"" + CMD + "\"}");
    for (int i = 0; i < 12; i++) {
      ws.enqueue(200, status("Queued", null));
    }
    ws.enqueue(200, status("Running", null));
    ws.enqueue(200, status("Finished", "{\"resultType\":\"text\",\"data\":\"ok\"}"));
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");

    try (ExecutionSession session = connection.openSession(SessionOptions.of(CodeLanguage.python()))) {
      Execution run = session.submit(new CodeUnit("Queued", CodeLanguage.python(), "spark.range(10).count()"));
      ws.test.sleeps.clear();
      assertThat(run.await(Duration.ofMinutes(1)).status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
    }
    // 12 reads Queued (1.79 s waited, the next wait would be 358 ms), then Running: 100 ms again
    assertThat(ws.test.sleeps).extracting(Duration::toMillis)
        .containsExactly(100L, 100L, 100L, 100L, 100L, 100L, 120L, 144L, 172L, 207L, 248L, 298L, 100L);
    takeOpen("python");
    ws.takePost("/api/1.2/commands/execute", "{\"clusterId\":\"" + CLUSTER + "\",\"contextId\":\"" + CTX + "\","
        + "\"language\":\"python\",\"command\":\"spark.range(10).count()\"}");
    for (int i = 0; i < 14; i++) {
      ws.take("GET", CMD_STATUS);
    }
    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
  }

  @Test
  void pollingWaitsAFifthOfTheTimeWaitedAndStopsAtTheTimeout() throws Exception {
    enqueueOpen();
    ws.enqueue(200, "{\"id\":\"" + CMD + "\"}");
    for (int i = 0; i < 23; i++) {
      ws.enqueue(200, status("Running", null));
    }
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");

    try (ExecutionSession session = connection.openSession(SessionOptions.of(CodeLanguage.python()))) {
      Execution run = session.submit(new CodeUnit("Script", CodeLanguage.python(), "import time; time.sleep(600)"));
      ws.test.sleeps.clear();
      assertThatThrownBy(() -> run.await(Duration.ofSeconds(10))).isExactlyInstanceOf(ConnectorException.class)
          .hasMessageContaining("command " + CMD + " (Script) is still Running after waiting 10000 ms")
          .hasMessageContaining("cancel it");
    }
    assertThat(ws.test.sleeps).extracting(Duration::toMillis)
        .containsExactly(100L, 100L, 100L, 100L, 100L, 100L, 120L, 144L, 172L, 207L, 248L, 298L, 358L, 429L, 515L,
            619L, 743L, 891L, 1069L, 1283L, 1540L, 755L);
    assertThat(ws.requestCount()).as("open 4, execute, 23 reads, destroy").isEqualTo(4 + 1 + 23 + 1);
    assertThat(ws.test.sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void mapsText() throws Exception {
    ExecutionResult r = runOne(CodeLanguage.python(), "print(40 + 2)",
        status("Finished", "{\"resultType\":\"text\",\"data\":\"42\"}"));
    assertThat(r.status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
    assertThat(r.text()).contains("42");
    assertThat(r.tables()).isEmpty();
    takeOpen("python");
    ws.takePost("/api/1.2/commands/execute", "{\"clusterId\":\"" + CLUSTER + "\",\"contextId\":\"" + CTX + "\","
        + "\"language\":\"python\",\"command\":\"print(40 + 2)\"}");
    ws.take("GET", CMD_STATUS);
    ws.take("GET", CMD_STATUS);
    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
  }

  @Test
  void mapsATruncatedTableWithNestedValuesAndBigNumbers() throws Exception {
    ExecutionResult r = runOne(CodeLanguage.scala(), "display(df)", status("Finished",
        "{\"resultType\":\"table\",\"truncated\":true,\"isJsonSchema\":true,\"data\":[[true,12345678901234567890,"
            + "1.5,[1,2],{\"a\":1},\"2026-12-01\"]],\"schema\":["
            + "{\"name\":\"ok\",\"type\":\"\\\"boolean\\\"\"},{\"name\":\"big\",\"type\":\"\\\"decimal(20,0)\\\"\"},"
            + "{\"name\":\"ratio\",\"type\":\"\\\"double\\\"\"},"
            + "{\"name\":\"xs\",\"type\":\"{\\\"type\\\":\\\"array\\\",\\\"elementType\\\":\\\"integer\\\"}\"},"
            + "{\"name\":\"m\",\"type\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\"},"
            + "{\"name\":\"d\",\"type\":\"date\"}]}"));
    ResultTable t = r.tables().get(0);
    assertThat(t.truncated()).isTrue();
    assertThat(t.columns()).extracting(ResultTable.Column::type)
        .containsExactly("boolean", "decimal(20,0)", "double", "array", "struct", "date");
    assertThat(t.rows()).containsExactly(List.of(true, new BigDecimal("12345678901234567890"), 1.5, "[1,2]",
        "{\"a\":1}", "2026-12-01"));
    takeOpen("scala");
  }

  @Test
  void mapsAnErrorResultWithItsCause() throws Exception {
    ExecutionResult r = runOne(CodeLanguage.sql("spark"), "SELECT nope FROM t", status("Finished",
        "{\"resultType\":\"error\",\"summary\":\"<span class='ansi-red-fg'>AnalysisException</span>: "
            + "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column &quot;nope&quot; cannot be resolved.\","
            + "\"cause\":\"\\u001b[0;31m---------\\u001b[0m\\nAnalysisException: [UNRESOLVED_COLUMN] nope\\n"
            + "File \\\"<command-1>\\\", line 1, in <module>\"}"));
    assertThat(r.status()).isEqualTo(ExecutionResult.Status.FAILED);
    assertThat(r.error()).contains("AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column \"nope\" cannot"
        + " be resolved.");
    assertThat(r.errorDetail()).contains("---------\nAnalysisException: [UNRESOLVED_COLUMN] nope\n"
        + "File \"<command-1>\", line 1, in <module>");
    takeOpen("sql");
  }

  @Test
  void mapsTheErrorAndCancelledStatuses() throws Exception {
    ExecutionResult failed = runOne(CodeLanguage.python(), "x", status("Error",
        "{\"resultType\":\"error\",\"cause\":\"java.lang.OutOfMemoryError: Java heap space\\n\\tat ...\"}"));
    assertThat(failed.status()).isEqualTo(ExecutionResult.Status.FAILED);
    assertThat(failed.error()).contains("java.lang.OutOfMemoryError: Java heap space");
    assertThat(failed.errorDetail()).contains("java.lang.OutOfMemoryError: Java heap space\n\tat ...");

    ExecutionResult cancelled = runOne(CodeLanguage.python(), "x", status("Cancelled", null));
    assertThat(cancelled.status()).isEqualTo(ExecutionResult.Status.CANCELLED);
    assertThat(cancelled.error()).isEmpty();

    ExecutionResult image = runOne(CodeLanguage.python(), "x", status("Finished",
        "{\"resultType\":\"image\",\"fileName\":\"/plots/a.png\"}"));
    assertThat(image.status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
    assertThat(image.text().orElseThrow()).contains("image result");
  }

  @Test
  void cancelAsksTheClusterAndAwaitSeesCancelled() throws Exception {
    enqueueOpen();
    ws.enqueue(200, "{\"id\":\"" + CMD + "\"}");
    ws.enqueue(200, status("Running", null));
    ws.enqueue(200, "{\"id\":\"" + CMD + "\"}");
    ws.enqueue(200, status("Cancelling", null));
    ws.enqueue(200, status("Cancelled", null));
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");

    try (ExecutionSession session = connection.openSession(SessionOptions.of(CodeLanguage.python()))) {
      Execution run = session.submit(new CodeUnit("Long", CodeLanguage.python(), "spin()"));
      assertThat(run.status()).isEqualTo(ExecutionResult.Status.RUNNING);
      run.cancel();
      assertThat(run.await(Duration.ofMinutes(1)).status()).isEqualTo(ExecutionResult.Status.CANCELLED);
      run.cancel(); // ended: no call
      assertThat(run.status()).isEqualTo(ExecutionResult.Status.CANCELLED);
    }
    takeOpen("python");
    ws.take("POST", "/api/1.2/commands/execute");
    ws.take("GET", CMD_STATUS);
    ws.takePost("/api/1.2/commands/cancel", "{\"clusterId\":\"" + CLUSTER + "\",\"contextId\":\"" + CTX + "\","
        + "\"commandId\":\"" + CMD + "\"}");
    ws.take("GET", CMD_STATUS);
    ws.take("GET", CMD_STATUS);
    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
    assertThat(ws.requestCount()).isEqualTo(10);
  }

  @Test
  void theShutdownHookLivesAsLongAsTheConnectionAndDestroysWhatIsOpen() throws Exception {
    assertThat(ws.test.hooks).hasSize(1);
    Thread hook = ws.test.hooks.get(0);
    enqueueOpen();
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    ExecutionSession session = connection.openSession(SessionOptions.of(CodeLanguage.python()));
    takeOpen("python");

    hook.run(); // as the JVM would at shutdown

    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
    assertThat(connection.openContexts()).isEmpty();
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    session.close();
    connection.close();
    assertThat(ws.test.removedHooks).containsExactly(hook);
    assertThat(ws.test.hooks).isEmpty();
  }

  @Test
  void theSessionNeedsAClusterAndALanguageDatabricksRuns() throws Exception {
    try (DatabricksFabricConnection noCluster = ws.connect(ws.settings())) {
      assertThatThrownBy(() -> noCluster.openSession(SessionOptions.of(CodeLanguage.python())))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("fabric.settings.clusterId");
    }
    assertThatThrownBy(() -> connection.openSession(SessionOptions.of(CodeLanguage.sql("snowflake"))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("CodeLanguage.sql(\"spark\")");
    assertThatThrownBy(() -> connection.openSession(SessionOptions.builder().language(CodeLanguage.python())
        .putConf("spark.sql.shuffle.partitions", "8").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("session.conf.spark.sql.shuffle.partitions")
        .hasMessageContaining("takes only the conf clusterId");
    assertThat(ws.requestCount()).isZero();
  }

  @Test
  void theSessionConfNamesAnotherCluster() throws Exception {
    ws.enqueue(200, "{\"cluster_id\":\"other\",\"state\":\"RUNNING\"}");
    ws.enqueue(200, "{\"id\":\"c9\"}");
    ws.enqueue(200, "{\"id\":\"c9\",\"status\":\"Running\"}");
    ws.enqueue(200, "{}");
    try (ExecutionSession s = connection.openSession(SessionOptions.builder().language(CodeLanguage.scala())
        .putConf(DatabricksFabricProvider.CLUSTER_ID, "other").build())) {
      assertThat(s.language()).isEqualTo(CodeLanguage.scala());
      assertThatThrownBy(() -> s.submit(new CodeUnit("g", CodeLanguage.python(), "1")))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("this session runs SCALA");
    }
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=other");
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"other\",\"language\":\"scala\"}");
    ws.take("GET", "/api/1.2/contexts/status?clusterId=other&contextId=c9");
    ws.takePost("/api/1.2/contexts/destroy", "{\"clusterId\":\"other\",\"contextId\":\"c9\"}");
  }

  @Test
  void aContextWhoseDestroyFailsIsLeftToTheShutdownHook() throws Exception {
    enqueueOpen();
    ws.enqueue(500, "{\"error\":\"java.io.IOException: driver lost\"}");
    ExecutionSession session = connection.openSession(SessionOptions.of(CodeLanguage.python()));
    takeOpen("python");

    assertThatThrownBy(session::close).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("destroy context " + CTX).hasMessageContaining("driver lost");
    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
    assertThat(connection.openContexts()).containsExactly(new ContextRegistry.Context(CLUSTER, CTX));

    connection.close();
    assertThat(ws.test.hooks).as("the hook stays for the context still open").hasSize(1);
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    ws.test.hooks.get(0).run();
    ws.takePost("/api/1.2/contexts/destroy", DESTROY);
    assertThat(connection.openContexts()).isEmpty();
  }

  @Test
  void openingStartsATerminatedClusterTellsTheListenerAndSharesOneDeadline() throws Exception {
    ws.enqueue(200, ClustersClientTest.cluster("TERMINATED", "Inactive cluster terminated"));
    ws.enqueue(200, "{}");
    ws.enqueue(200, ClustersClientTest.cluster("PENDING", "Starting Spark"));
    ws.enqueue(200, ClustersClientTest.cluster("RUNNING", ""));
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    for (int i = 0; i < 30; i++) {
      ws.enqueue(200, "{\"id\":\"" + CTX + "\",\"status\":\"Pending\"}");
    }
    ws.enqueue(200, "{\"id\":\"" + CTX + "\"}");
    List<String> heard = new java.util.ArrayList<>();

    assertThatThrownBy(() -> connection.openSession(SessionOptions.builder().language(CodeLanguage.python())
        .startTimeout(Duration.ofSeconds(5)).build(), (c, waited) -> heard.add(c.state() + "@" + waited.toMillis())))
        .isExactlyInstanceOf(ConnectorException.class).hasMessageContaining("is still Pending at the end");

    assertThat(heard).containsExactly("TERMINATED@0", "PENDING@0", "RUNNING@1000");
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=" + CLUSTER);
    ws.takePost("/api/2.0/clusters/start", "{\"cluster_id\":\"" + CLUSTER + "\"}");
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=" + CLUSTER);
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=" + CLUSTER);
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"" + CLUSTER + "\",\"language\":\"python\"}");
    // the cluster took 1 s of the 5 s; the context's wait gets the 4 s that are left
    Duration contextWaits = ws.test.sleeps.stream().skip(1).reduce(Duration.ZERO, Duration::plus);
    assertThat(ws.test.sleeps.get(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(contextWaits).isEqualTo(Duration.ofSeconds(4));
    RecordedRequest last = null;
    for (RecordedRequest r = ws.server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
        r = ws.server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      last = r;
    }
    assertThat(last.getTarget()).isEqualTo("/api/1.2/contexts/destroy");
    assertThat(connection.openContexts()).isEmpty();
  }
}

package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.databricks.DatabricksJobJson;
import io.prophecy.sdk.databricks.DatabricksJobJson.AccessControl;
import io.prophecy.sdk.databricks.JobSizes;
import io.prophecy.sdk.databricks.Placeholders;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.Schedule;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.JobArtifacts;
import io.prophecy.sdk.spi.JobRunStatus;
import io.prophecy.sdk.spi.JobRunStatus.State;
import io.prophecy.sdk.spi.JobScheduler.DeployedJob;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Jobs API 2.1 calls of {@link JobsClient} against a MockWebServer: the deploy as the build tool
 * does it (look up by name over every page, create, reset, refuse duplicates, then permissions), a
 * project's own databricks-job.json deployed as it is, pause and resume, run now with its idempotency
 * token, run status per task, cancel, delete, list, and the errors, throttling and timeouts on the way.
 */
class JobsClientTest {
  static final String SIZES = "{\"small\":{\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\","
      + "\"num_workers\":2,\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"16\"}}}";
  static final Path PROJECT = Path.of("src/test/resources/projects/dbx_shop");

  private MockWorkspace ws;
  private DatabricksHttp http;
  private JobsClient jobs;

  @BeforeEach
  void start() throws Exception {
    ws = new MockWorkspace();
    http = ws.http(ws.settings());
    jobs = new JobsClient(http, JobSizes.parse(SIZES));
  }

  @AfterEach
  void stop() {
    http.close();
    ws.close();
  }

  static JobSpec nightly() {
    return JobSpec.builder().name("nightly").fabric("dev").addPipelines("raw_orders", "daily_revenue")
        .schedule(Schedule.cron("0 0 2 * * ?", "Europe/Berlin")).jobSize("small")
        .addAlertEmails("data-team@example.com").build();
  }

  static JobArtifacts artifacts() {
    return JobArtifacts.builder()
        .putPipelineArtifacts("raw_orders", "dbfs:/FileStore/shop/raw_orders-1.0-py3-none-any.whl")
        .putPipelineArtifacts("daily_revenue", "dbfs:/FileStore/shop/daily_revenue-1.0-py3-none-any.whl").build();
  }

  /** The Jobs body the SPI deploy of {@link #nightly()} sends, written out from the documented layout. */
  static final String NIGHTLY_SETTINGS = "{\"format\":\"MULTI_TASK\",\"name\":\"nightly\","
      + "\"job_clusters\":[{\"job_cluster_key\":\"nightly_default_small\",\"new_cluster\":{"
      + "\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\",\"num_workers\":2,"
      + "\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"16\"}}}],"
      + "\"tasks\":[{\"task_key\":\"raw_orders\",\"job_cluster_key\":\"nightly_default_small\","
      + "\"python_wheel_task\":{\"package_name\":\"raw_orders\",\"entry_point\":\"main\","
      + "\"parameters\":[\"-i\",\"default\",\"-O\",\"{}\"]},"
      + "\"libraries\":[{\"whl\":\"dbfs:/FileStore/shop/raw_orders-1.0-py3-none-any.whl\"}]},"
      + "{\"task_key\":\"daily_revenue\",\"depends_on\":[{\"task_key\":\"raw_orders\"}],"
      + "\"job_cluster_key\":\"nightly_default_small\",\"python_wheel_task\":{\"package_name\":\"daily_revenue\","
      + "\"entry_point\":\"main\",\"parameters\":[\"-i\",\"default\",\"-O\",\"{}\"]},"
      + "\"libraries\":[{\"whl\":\"dbfs:/FileStore/shop/daily_revenue-1.0-py3-none-any.whl\"}]}],"
      + "\"schedule\":{\"quartz_cron_expression\":\"0 0 2 * * ?\",\"timezone_id\":\"Europe/Berlin\","
      + "\"pause_status\":\"UNPAUSED\"},"
      + "\"email_notifications\":{\"on_failure\":[\"data-team@example.com\"]},\"max_concurrent_runs\":1}";

  static String listTarget(String name, String page) {
    return "/api/2.1/jobs/list?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&limit=100"
        + (page == null ? "" : "&page_token=" + page);
  }

  static String job(long id, String name) {
    return "{\"job_id\":" + id + ",\"creator_user_name\":\"alice@example.com\",\"settings\":{\"name\":\"" + name
        + "\",\"format\":\"MULTI_TASK\"},\"created_time\":1733050000000}";
  }

  RecordedRequest takePatch(String path, String json) throws Exception {
    RecordedRequest r = ws.take("PATCH", path);
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(DatabricksHttp.JSON.readTree(r.getBody().utf8())).isEqualTo(DatabricksHttp.JSON.readTree(json));
    return r;
  }

  // ---------------------------------------------------------------- deploy

  @Test
  void aDeployCreatesTheJobWhenNoPageHasOneOfThatName() throws Exception {
    ws.enqueue(200, "{\"jobs\":[" + job(11, "nightly_backup") + "],\"has_more\":true,\"next_page_token\":\"p2\"}");
    // the name filter ignores case: a job named NIGHTLY is another job, not this one
    ws.enqueue(200, "{\"jobs\":[" + job(12, "NIGHTLY") + "],\"has_more\":false}");
    ws.enqueue(200, "{\"job_id\":1108312645937413}");

    assertThat(jobs.deploy(nightly(), artifacts())).isEqualTo("1108312645937413");

    ws.take("GET", listTarget("nightly", null));
    ws.take("GET", listTarget("nightly", "p2"));
    ws.takePost("/api/2.1/jobs/create", NIGHTLY_SETTINGS);
    assertThat(ws.requestCount()).isEqualTo(3);
  }

  @Test
  void aDeployResetsTheOneJobOfThatName() throws Exception {
    ws.enqueue(200, "{\"jobs\":[" + job(77, "nightly") + "],\"has_more\":false}");
    ws.enqueue(200, "{}");

    assertThat(jobs.deploy(nightly(), artifacts())).isEqualTo("77");

    ws.take("GET", listTarget("nightly", null));
    ws.takePost("/api/2.1/jobs/reset", "{\"job_id\":77,\"new_settings\":" + NIGHTLY_SETTINGS + "}");
    assertThat(ws.requestCount()).isEqualTo(2);
  }

  @Test
  void twoJobsOfOneNameOnDifferentPagesAreAnErrorNamingBothAndNothingIsSent() throws Exception {
    ws.enqueue(200, "{\"jobs\":[" + job(5, "nightly") + "," + job(6, "other") + "],\"has_more\":true,"
        + "\"next_page_token\":\"p2\"}");
    ws.enqueue(200, "{\"jobs\":[" + job(9, "nightly") + "],\"has_more\":false}");

    assertThatThrownBy(() -> jobs.deploy(nightly(), artifacts())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("2 jobs named 'nightly'").hasMessageContaining("job ids 5, 9")
        .hasMessageContaining("changed nothing");

    ws.take("GET", listTarget("nightly", null));
    ws.take("GET", listTarget("nightly", "p2"));
    assertThat(ws.server.takeRequest(200, TimeUnit.MILLISECONDS)).as("no create, reset or permissions").isNull();
  }

  @Test
  void theAccessControlListIsLeftOutOfTheSettingsAndAppliedAfterTheCreate() throws Exception {
    DatabricksJobJson file = DatabricksJobJson.generate(nightly(), DatabricksJobJson.Options.of("4711",
        JobSizes.parse(SIZES)).withArtifacts(artifacts().pipelineArtifacts()).withAccessControl(List.of(
        new AccessControl(AccessControl.Principal.GROUP, "data-team", "CAN_MANAGE_RUN"),
        new AccessControl(AccessControl.Principal.SERVICE_PRINCIPAL, "6f1e4c0a-ci", "IS_OWNER"))));
    ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
    ws.enqueue(200, "{\"job_id\":321}");
    ws.enqueue(200, "{\"object_id\":\"/jobs/321\",\"object_type\":\"job\",\"access_control_list\":[]}");

    assertThat(jobs.deploy(file, Placeholders.none())).isEqualTo("321");

    ws.take("GET", listTarget("nightly", null));
    ws.takePost("/api/2.1/jobs/create", NIGHTLY_SETTINGS);
    takePatch("/api/2.0/permissions/jobs/321", "{\"access_control_list\":["
        + "{\"group_name\":\"data-team\",\"permission_level\":\"CAN_MANAGE_RUN\"},"
        + "{\"service_principal_name\":\"6f1e4c0a-ci\",\"permission_level\":\"IS_OWNER\"}]}");
  }

  @Test
  void aProjectsOwnJobFileIsDeployedAsItIsWithItsPlaceholdersSubstituted() throws Exception {
    Path path = PROJECT.resolve("jobs/nightly/code/databricks-job.json");
    // what the build tool does: replace the placeholders in the file's text, then send its request
    String text = Files.readString(path).replace("__PROJECT_RELEASE_VERSION_PLACEHOLDER__", "0.3.1")
        .replace("__PROJECT_ID_PLACEHOLDER__", "4711").replace("__PROPHECY_URL_PLACEHOLDER__", "https://app.example.com");
    JsonNode expected = DatabricksHttp.JSON.readTree(text).get("request");
    assertThat(expected.toString()).doesNotContain("PLACEHOLDER");
    ws.enqueue(200, "{\"jobs\":[" + job(41, "nightly") + "],\"has_more\":false}");
    ws.enqueue(200, "{}");

    String id = jobs.deploy(DatabricksJobJson.read(path), Placeholders.none().withProjectId("4711")
        .withReleaseVersion("0.3.1").withProphecyUrl("https://app.example.com"));

    assertThat(id).isEqualTo("41");
    ws.take("GET", listTarget("nightly", null));
    RecordedRequest reset = ws.takePost("/api/2.1/jobs/reset", "{\"job_id\":41,\"new_settings\":" + expected + "}");
    assertThat(DatabricksHttp.JSON.readTree(reset.getBody().utf8()).get("new_settings")).isEqualTo(expected);
  }

  @Test
  void anOlderFileWrappingItsRequestInCreateNewJobRequestIsCreatedFromTheInnerRequest() throws Exception {
    Path path = PROJECT.resolve("jobs/legacy_weekly/code/databricks-job.json");
    String text = Files.readString(path).replace("__PROJECT_RELEASE_VERSION_PLACEHOLDER__", "2.0.0")
        .replace("__PROJECT_ID_PLACEHOLDER__", "12").replace("__PROPHECY_URL_PLACEHOLDER__", "https://p.example.com");
    JsonNode expected = DatabricksHttp.JSON.readTree(text).get("request").get("CreateNewJobRequest");
    ws.enqueue(200, "{\"has_more\":false}");
    ws.enqueue(200, "{\"job_id\":900}");

    assertThat(jobs.deploy(DatabricksJobJson.read(path), Placeholders.none().withProjectId("12")
        .withReleaseVersion("2.0.0").withProphecyUrl("https://p.example.com"))).isEqualTo("900");

    ws.take("GET", listTarget("legacy_weekly", null));
    ws.takePost("/api/2.1/jobs/create", expected.toString());
  }

  @Test
  void aPlaceholderLeftWithoutAValueIsRefusedBeforeAnyCall() {
    Path path = PROJECT.resolve("jobs/nightly/code/databricks-job.json");
    assertThatThrownBy(() -> jobs.deploy(DatabricksJobJson.read(path), Placeholders.none().withProjectId("4711")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(path.toString())
        .hasMessageContaining("__PROJECT_RELEASE_VERSION_PLACEHOLDER__, __PROPHECY_URL_PLACEHOLDER__")
        .hasMessageNotContaining("__PROJECT_ID_PLACEHOLDER__");
    assertThat(ws.requestCount()).isZero();
  }

  @Test
  void theSpiDeployNeedsAnArtifactForEveryPipelineAndAKnownJobSize() {
    JobArtifacts one = JobArtifacts.builder().putPipelineArtifacts("raw_orders", "dbfs:/a.whl").build();
    assertThatThrownBy(() -> jobs.deploy(nightly(), one)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("artifacts.pipelineArtifacts.daily_revenue");
    JobSpec large = JobSpec.builder().from(nightly()).jobSize("large").build();
    assertThatThrownBy(() -> jobs.deploy(large, artifacts())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("job.jobSize").hasMessageContaining("'large'").hasMessageContaining("[small]");
    assertThat(ws.requestCount()).isZero();
  }

  @Test
  void aThrottledCreateWaitsAsAskedAndIsSentAgain() throws Exception {
    ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
    ws.enqueue(429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"too many requests\"}", "Retry-After", "7");
    ws.enqueue(200, "{\"job_id\":5}");

    assertThat(jobs.deploy(nightly(), artifacts())).isEqualTo("5");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(7));
    ws.take("GET", listTarget("nightly", null));
    ws.takePost("/api/2.1/jobs/create", NIGHTLY_SETTINGS);
    ws.takePost("/api/2.1/jobs/create", NIGHTLY_SETTINGS);
  }

  @Test
  void aCreateIsNotRepeatedAfterA503OrALostConnection() throws Exception {
    ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}");
    assertThatThrownBy(() -> jobs.deploy(nightly(), artifacts())).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("unavailable").hasMessageContaining("not safe to repeat");
    ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
    ws.server.enqueue(new MockResponse.Builder().onRequestBody(new SocketEffect.CloseSocket()).build());
    assertThatThrownBy(() -> jobs.deploy(nightly(), artifacts())).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("could not be reached").hasMessageContaining("not safe to repeat");

    assertThat(ws.test.sleeps).isEmpty();
    ws.take("GET", listTarget("nightly", null));
    ws.takePost("/api/2.1/jobs/create", NIGHTLY_SETTINGS);
    ws.take("GET", listTarget("nightly", null));
    ws.take("POST", "/api/2.1/jobs/create");
    assertThat(ws.server.takeRequest(200, TimeUnit.MILLISECONDS)).as("the create was not sent again").isNull();
  }

  @Test
  void aResetIsRepeatedAfterA503() throws Exception {
    ws.enqueue(200, "{\"jobs\":[" + job(77, "nightly") + "],\"has_more\":false}");
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}");
    ws.enqueue(200, "{}");

    assertThat(jobs.deploy(nightly(), artifacts())).isEqualTo("77");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1));
    ws.take("GET", listTarget("nightly", null));
    ws.takePost("/api/2.1/jobs/reset", "{\"job_id\":77,\"new_settings\":" + NIGHTLY_SETTINGS + "}");
    ws.takePost("/api/2.1/jobs/reset", "{\"job_id\":77,\"new_settings\":" + NIGHTLY_SETTINGS + "}");
  }

  @Test
  void aLookUpThatTimesOutIsReportedAndNothingIsCreated() throws Exception {
    ws.server.enqueue(new MockResponse.Builder().code(200).body("{\"jobs\":[]}").headersDelay(2, TimeUnit.SECONDS)
        .build());

    assertThatThrownBy(() -> jobs.deploy(nightly(), artifacts())).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("did not answer GET /api/2.1/jobs/list (look up job nightly) in time")
        .hasMessageContaining("500 ms");
    assertThat(ws.test.sleeps).isEmpty();
    ws.take("GET", listTarget("nightly", null));
    assertThat(ws.server.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void permissionsRefusedAfterTheCreateSayWhatWasRefused() throws Exception {
    DatabricksJobJson file = DatabricksJobJson.generate(nightly(), DatabricksJobJson.Options.of("4711",
        JobSizes.parse(SIZES)).withArtifacts(artifacts().pipelineArtifacts()).withAccessControl(List.of(
        new AccessControl(AccessControl.Principal.USER, "bob@example.com", "CAN_VIEW"))));
    ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
    ws.enqueue(200, "{\"job_id\":8}");
    ws.enqueue(403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"User alice@example.com does not have"
        + " Manage permissions on Job 8\"}");

    assertThatThrownBy(() -> jobs.deploy(file, Placeholders.none())).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("set the permissions of job nightly").hasMessageContaining("Manage permissions on Job 8")
        .hasMessageNotContaining(MockWorkspace.TOKEN);
    ws.take("GET", listTarget("nightly", null));
    ws.take("POST", "/api/2.1/jobs/create");
    takePatch("/api/2.0/permissions/jobs/8",
        "{\"access_control_list\":[{\"user_name\":\"bob@example.com\",\"permission_level\":\"CAN_VIEW\"}]}");
  }

  // ---------------------------------------------------------------- pause and resume

  static String scheduled(String pause) {
    return "{\"job_id\":77,\"settings\":{\"name\":\"nightly\",\"schedule\":{\"quartz_cron_expression\":"
        + "\"0 0 2 * * ?\",\"timezone_id\":\"Europe/Berlin\",\"pause_status\":\"" + pause + "\"}}}";
  }

  @Test
  void pauseAndResumeChangeOnlyThePauseStatusKeepingCronAndTimeZone() throws Exception {
    ws.enqueue(200, scheduled("UNPAUSED"));
    ws.enqueue(200, "{}");
    ws.enqueue(200, scheduled("PAUSED"));
    ws.enqueue(200, "{}");

    jobs.pause("77");
    jobs.resume("77");

    ws.take("GET", "/api/2.1/jobs/get?job_id=77");
    ws.takePost("/api/2.1/jobs/update", "{\"job_id\":77,\"new_settings\":{\"schedule\":{\"quartz_cron_expression\":"
        + "\"0 0 2 * * ?\",\"timezone_id\":\"Europe/Berlin\",\"pause_status\":\"PAUSED\"}}}");
    ws.take("GET", "/api/2.1/jobs/get?job_id=77");
    ws.takePost("/api/2.1/jobs/update", "{\"job_id\":77,\"new_settings\":{\"schedule\":{\"quartz_cron_expression\":"
        + "\"0 0 2 * * ?\",\"timezone_id\":\"Europe/Berlin\",\"pause_status\":\"UNPAUSED\"}}}");
  }

  @Test
  void pausingAPausedJobSendsNoUpdate() throws Exception {
    ws.enqueue(200, scheduled("PAUSED"));
    jobs.pause("77");
    ws.take("GET", "/api/2.1/jobs/get?job_id=77");
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aJobWithoutScheduleCannotBePaused() throws Exception {
    ws.enqueue(200, "{\"job_id\":78,\"settings\":{\"name\":\"adhoc\"}}");
    assertThatThrownBy(() -> jobs.pause("78")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("job 78 (adhoc) has no schedule to pause");
    ws.take("GET", "/api/2.1/jobs/get?job_id=78");
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aMissingJobIsNotFound() throws Exception {
    ws.enqueue(400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Job 79 does not exist.\"}");
    ws.enqueue(404, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Job 80 does not exist.\"}");
    assertThatThrownBy(() -> jobs.resume("79")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Job 79 does not exist.");
    assertThatThrownBy(() -> jobs.resume("80")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Job 80 does not exist.");
    ws.take("GET", "/api/2.1/jobs/get?job_id=79");
    ws.take("GET", "/api/2.1/jobs/get?job_id=80");
  }

  // ---------------------------------------------------------------- runs

  @Test
  void runNowSendsTheTokenAndARetryAfterA503SendsTheSameTokenForOneRun() throws Exception {
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}", "Retry-After", "2");
    ws.enqueue(200, "{\"run_id\":455644833,\"number_in_job\":455644833}");

    assertThat(jobs.runNow("77", "8f14e45f-ceea-467a-9f7b-5b1c1d3e6a90")).isEqualTo("455644833");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(2));
    String body = "{\"job_id\":77,\"idempotency_token\":\"8f14e45f-ceea-467a-9f7b-5b1c1d3e6a90\"}";
    ws.takePost("/api/2.1/jobs/run-now", body);
    ws.takePost("/api/2.1/jobs/run-now", body);
    assertThat(ws.requestCount()).isEqualTo(2);
  }

  @Test
  void runNowIsRepeatedAfterALostConnectionWithTheSameToken() throws Exception {
    ws.server.enqueue(new MockResponse.Builder().onRequestBody(new SocketEffect.CloseSocket()).build());
    ws.enqueue(200, "{\"run_id\":1,\"number_in_job\":1}");

    assertThat(jobs.runNow("77", "tok-1")).isEqualTo("1");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1));
    ws.take("POST", "/api/2.1/jobs/run-now");
    ws.takePost("/api/2.1/jobs/run-now", "{\"job_id\":77,\"idempotency_token\":\"tok-1\"}");
  }

  @Test
  void anInterruptedWaitBeforeRetryingRunNowStopsAndKeepsTheFlag() throws Exception {
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}", "Retry-After", "3");
    ws.test.interruptNextSleep.set(true);
    try {
      assertThatThrownBy(() -> jobs.runNow("77", "tok-2")).isInstanceOf(InterruptedCallException.class)
          .hasMessageContaining("interrupted during POST /api/2.1/jobs/run-now");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    ws.takePost("/api/2.1/jobs/run-now", "{\"job_id\":77,\"idempotency_token\":\"tok-2\"}");
    assertThat(ws.requestCount()).isEqualTo(1);
    assertThat(jobs.toString()).isEqualTo("DatabricksJobs[" + ws.url().host() + "]").doesNotContain(MockWorkspace.TOKEN);
  }

  @Test
  void runNowWithoutATokenMakesOne() throws Exception {
    ws.enqueue(200, "{\"run_id\":2,\"number_in_job\":2}");
    assertThat(jobs.runNow("77", null)).isEqualTo("2");
    JsonNode body = DatabricksHttp.JSON.readTree(ws.take("POST", "/api/2.1/jobs/run-now").getBody().utf8());
    assertThat(body.get("job_id").asLong()).isEqualTo(77);
    assertThat(body.get("idempotency_token").asText()).matches("[0-9a-f-]{36}");
  }

  @Test
  void badIdsAndTokensAreRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> jobs.runNow("nightly", "t")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("jobId").hasMessageContaining("'nightly' is not a Databricks job id");
    assertThatThrownBy(() -> jobs.runNow("77", "x".repeat(65))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("idempotencyToken").hasMessageContaining("at most 64");
    assertThatThrownBy(() -> jobs.runStatus("")).isInstanceOf(InvalidInputException.class).hasMessageContaining("runId");
    assertThatThrownBy(() -> jobs.cancelRun("1 OR 1")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> jobs.delete(null)).isInstanceOf(InvalidInputException.class);
    assertThat(ws.requestCount()).isZero();
  }

  @Test
  void runStatusIsGivenPerTask() throws Exception {
    ws.enqueue(200, "{\"job_id\":77,\"run_id\":455644833,\"state\":{\"life_cycle_state\":\"TERMINATED\","
        + "\"result_state\":\"FAILED\",\"state_message\":\"Task daily_revenue failed with message: Workload failed.\"},"
        + "\"tasks\":[{\"run_id\":1,\"task_key\":\"raw_orders\",\"state\":{\"life_cycle_state\":\"TERMINATED\","
        + "\"result_state\":\"SUCCESS\",\"state_message\":\"\"}},"
        + "{\"run_id\":2,\"task_key\":\"daily_revenue\",\"state\":{\"life_cycle_state\":\"TERMINATED\","
        + "\"result_state\":\"TIMEDOUT\",\"state_message\":\"Workload timed out\"}},"
        + "{\"run_id\":3,\"task_key\":\"report\",\"state\":{\"life_cycle_state\":\"TERMINATED\","
        + "\"result_state\":\"UPSTREAM_FAILED\",\"state_message\":\"\"}}]}");

    JobRunStatus s = jobs.runStatus("455644833");

    assertThat(s.runId()).isEqualTo("455644833");
    assertThat(s.state()).isEqualTo(State.FAILED);
    assertThat(s.message()).contains("Task daily_revenue failed with message: Workload failed.");
    assertThat(s.tasks()).containsExactly(
        new JobRunStatus.Task("raw_orders", State.SUCCEEDED, Optional.empty()),
        new JobRunStatus.Task("daily_revenue", State.FAILED, Optional.of("TIMEDOUT: Workload timed out")),
        new JobRunStatus.Task("report", State.FAILED, Optional.of("UPSTREAM_FAILED")));
    ws.take("GET", "/api/2.1/jobs/runs/get?run_id=455644833");
  }

  @ParameterizedTest
  @CsvSource({
      "QUEUED,,PENDING,QUEUED", "PENDING,,PENDING,", "BLOCKED,,PENDING,BLOCKED",
      "WAITING_FOR_RETRY,,PENDING,WAITING_FOR_RETRY", "RUNNING,,RUNNING,", "TERMINATING,,RUNNING,",
      "TERMINATED,SUCCESS,SUCCEEDED,", "TERMINATED,SUCCESS_WITH_FAILURES,SUCCEEDED,SUCCESS_WITH_FAILURES",
      "TERMINATED,FAILED,FAILED,", "TERMINATED,TIMEDOUT,FAILED,TIMEDOUT", "TERMINATED,CANCELED,CANCELLED,",
      "TERMINATED,UPSTREAM_CANCELED,CANCELLED,UPSTREAM_CANCELED", "TERMINATED,EXCLUDED,SKIPPED,EXCLUDED",
      "TERMINATED,MAXIMUM_CONCURRENT_RUNS_REACHED,FAILED,MAXIMUM_CONCURRENT_RUNS_REACHED", "SKIPPED,,SKIPPED,",
      "INTERNAL_ERROR,FAILED,FAILED,INTERNAL_ERROR", "TERMINATED,,FAILED,"})
  void lifeCycleAndResultStatesMapToCoresStates(String life, String result, State expected, String said) {
    ObjectNode state = DatabricksHttp.object().put("life_cycle_state", life);
    if (result != null) {
      state.put("result_state", result);
    }
    assertThat(JobsClient.state(state)).isEqualTo(expected);
    assertThat(JobsClient.message(state)).isEqualTo(Optional.ofNullable(said));
    state.put("state_message", "the words");
    assertThat(JobsClient.message(state)).contains(said == null ? "the words" : said + ": the words");
  }

  @Test
  void cancelAndDeleteSendTheIdAsANumber() throws Exception {
    ws.enqueue(200, "{}");
    ws.enqueue(200, "{}");
    jobs.cancelRun("455644833");
    jobs.delete("77");
    ws.takePost("/api/2.1/jobs/runs/cancel", "{\"run_id\":455644833}");
    ws.takePost("/api/2.1/jobs/delete", "{\"job_id\":77}");
  }

  @Test
  void errorsInTheApi12ShapeAreMappedToo() throws Exception {
    ws.enqueue(400, "{\"error\":\"Run 4 is already in a terminal state\"}");
    assertThatThrownBy(() -> jobs.cancelRun("4")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cancel run 4").hasMessageContaining("Run 4 is already in a terminal state");
    ws.takePost("/api/2.1/jobs/runs/cancel", "{\"run_id\":4}");
  }

  @Test
  void listFollowsEveryPage() throws Exception {
    ws.enqueue(200, "{\"jobs\":[" + job(1, "nightly") + "," + job(2, "weekly") + "],\"has_more\":true,"
        + "\"next_page_token\":\"CAEomPuciYcxMKbM9JvMlwU=\"}");
    ws.enqueue(200, "{\"jobs\":[" + job(3, "adhoc") + "],\"has_more\":false,\"prev_page_token\":\"x\"}");

    assertThat(jobs.list()).containsExactly(new DeployedJob("1", "nightly"), new DeployedJob("2", "weekly"),
        new DeployedJob("3", "adhoc"));
    ws.take("GET", "/api/2.1/jobs/list?limit=100");
    ws.take("GET", "/api/2.1/jobs/list?limit=100&page_token=CAEomPuciYcxMKbM9JvMlwU%3D");
  }

  @Test
  void aPageTokenGivenTwiceStopsTheListing() throws Exception {
    ws.enqueue(200, "{\"jobs\":[" + job(1, "a") + "],\"has_more\":true,\"next_page_token\":\"p2\"}");
    ws.enqueue(200, "{\"jobs\":[" + job(2, "b") + "],\"has_more\":true,\"next_page_token\":\"p2\"}");
    assertThatThrownBy(() -> jobs.list()).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("page token of jobs/list twice");
    ws.take("GET", "/api/2.1/jobs/list?limit=100");
    ws.take("GET", "/api/2.1/jobs/list?limit=100&page_token=p2");
    assertThat(ws.requestCount()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- the connection

  @Test
  void theConnectionSchedulesJobsWithTheFabricsPresets() throws Exception {
    try (DatabricksFabricConnection c = ws.connect(ws.settings().withJobSizes(JobSizes.parse(SIZES)))) {
      assertThat(c.capabilities()).contains(Capability.JOBS, Capability.CLUSTERS);
      ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
      ws.enqueue(200, "{\"job_id\":3}");
      assertThat(c.scheduler().deploy(nightly(), artifacts())).isEqualTo("3");
      ws.take("GET", listTarget("nightly", null));
      ws.takePost("/api/2.1/jobs/create", NIGHTLY_SETTINGS);
    }
  }

  @Test
  void aPresetOfTheFabricCreatesACluster() throws Exception {
    ClustersClient clusters = new ClustersClient(http, ws.test.platform().sleeper(), ws.test.clock,
        JobSizes.parse(SIZES));
    ws.enqueue(200, "{\"cluster_id\":\"1202-211320-brick1\"}");

    assertThat(clusters.createFromPreset("small", "alice-dev")).isEqualTo("1202-211320-brick1");
    assertThatThrownBy(() -> clusters.createFromPreset("huge", "alice-dev")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'huge'").hasMessageContaining("jobSizes").hasMessageContaining("[small]");
    assertThatThrownBy(() -> clusters.createFromPreset("small", " ")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("clusterName");

    ws.takePost("/api/2.0/clusters/create", "{\"cluster_name\":\"alice-dev\",\"spark_version\":\"15.4.x-scala2.12\","
        + "\"node_type_id\":\"i3.xlarge\",\"num_workers\":2,\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"16\"},"
        + "\"autotermination_minutes\":60}");
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aRunsSubmitIsSafeToRepeatOnlyWhenItCarriesAnIdempotencyToken() throws Exception {
    ObjectNode withToken = DatabricksHttp.object().put("run_name", "probe").put("idempotency_token", "tok-9");
    ObjectNode without = DatabricksHttp.object().put("run_name", "probe");
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}");
    ws.enqueue(200, "{\"run_id\":10}");
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}");

    assertThat(http.post("/api/2.1/jobs/runs/submit", withToken, "submit run", DatabricksHttp.Repeat.NOT_SAFE)
        .path("run_id").asLong()).isEqualTo(10);
    assertThatThrownBy(() -> http.post("/api/2.1/jobs/runs/submit", without, "submit run",
        DatabricksHttp.Repeat.NOT_SAFE)).hasMessageContaining("not safe to repeat");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1));
    ws.takePost("/api/2.1/jobs/runs/submit", withToken.toString());
    ws.takePost("/api/2.1/jobs/runs/submit", withToken.toString());
    ws.takePost("/api/2.1/jobs/runs/submit", without.toString());
    assertThat(DatabricksHttp.hasIdempotencyToken(DatabricksHttp.object().put("idempotency_token", " "))).isFalse();
    assertThat(DatabricksHttp.hasIdempotencyToken(DatabricksHttp.object().put("idempotency_token", 5))).isFalse();
  }
}

package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.service.compute.ClusterSpec;
import com.databricks.sdk.service.jobs.CancelRun;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.CreateResponse;
import com.databricks.sdk.service.jobs.DeleteJob;
import com.databricks.sdk.service.jobs.Format;
import com.databricks.sdk.service.jobs.JobPermissionLevel;
import com.databricks.sdk.service.jobs.JobPermissionsRequest;
import com.databricks.sdk.service.jobs.ListJobsResponse;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.databricks.sdk.service.jobs.ResetJob;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.RunNowResponse;
import com.databricks.sdk.service.jobs.RunResultState;
import com.databricks.sdk.service.jobs.Task;
import com.databricks.sdk.service.jobs.UpdateJob;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.prophecy.sdk.databricks.DatabricksJobJson;
import io.prophecy.sdk.databricks.JobSizes;
import io.prophecy.sdk.databricks.Placeholders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Jobs body the connector sends, taken from the wire of a MockWebServer, deserializes into the
 * official Databricks SDK's model classes with unknown properties failing, and its key fields survive.
 * The scripted answers of {@link JobsClientTest} are read into the SDK's response classes too, so the
 * scripts stay true to the API. The SDK is a test dependency only.
 */
class JobsBodiesMatchOfficialSdkTest {
  /** Strict: a field the SDK does not know (a typo, or a field of another API version) fails. */
  static final ObjectMapper SDK = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

  /** A preset using many of the cluster fields a preset may set. */
  static final JobSizes PRESETS = JobSizes.parse("{\"small\":{\"spark_version\":\"15.4.x-scala2.12\","
      + "\"node_type_id\":\"i3.xlarge\",\"autoscale\":{\"min_workers\":1,\"max_workers\":4},"
      + "\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"16\"},\"custom_tags\":{\"team\":\"shop\"},"
      + "\"aws_attributes\":{\"availability\":\"SPOT_WITH_FALLBACK\",\"first_on_demand\":1},"
      + "\"data_security_mode\":\"SINGLE_USER\",\"single_user_name\":\"alice@example.com\","
      + "\"runtime_engine\":\"PHOTON\",\"enable_elastic_disk\":true,\"driver_node_type_id\":\"i3.2xlarge\","
      + "\"policy_id\":\"E0631F5C0D000A2C\",\"spark_env_vars\":{\"PYSPARK_PYTHON\":\"/databricks/python3/bin/python3\"},"
      + "\"init_scripts\":[{\"workspace\":{\"destination\":\"/Users/alice/init.sh\"}}]}}");

  private MockWorkspace ws;
  private DatabricksHttp http;
  private JobsClient jobs;

  @BeforeEach
  void start() throws Exception {
    ws = new MockWorkspace();
    http = ws.http(ws.settings());
    jobs = new JobsClient(http, PRESETS);
  }

  @AfterEach
  void stop() {
    http.close();
    ws.close();
  }

  private List<String> bodies(int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mockwebserver3.RecordedRequest r = ws.take();
      out.add(r.getMethod() + " " + r.getTarget() + " " + (r.getBody() == null ? "" : r.getBody().utf8()));
    }
    return out;
  }

  private static String body(String recorded) {
    return recorded.substring(recorded.indexOf(' ', recorded.indexOf(' ') + 1) + 1);
  }

  @Test
  void createAndPermissionsBodiesAreTheSdksCreateJobAndJobPermissionsRequest() throws Exception {
    DatabricksJobJson file = DatabricksJobJson.generate(JobsClientTest.nightly(), DatabricksJobJson.Options.of("4711",
        PRESETS).withArtifacts(JobsClientTest.artifacts().pipelineArtifacts()).withAccessControl(
        List.of(new DatabricksJobJson.AccessControl(DatabricksJobJson.AccessControl.Principal.GROUP, "data-team",
            "CAN_MANAGE_RUN"))));
    ws.enqueue(200, "{\"jobs\":[],\"has_more\":false}");
    ws.enqueue(200, "{\"job_id\":321}");
    ws.enqueue(200, "{}");
    jobs.deploy(file, Placeholders.none());
    List<String> sent = bodies(3);

    assertThat(sent.get(1)).startsWith("POST /api/2.1/jobs/create ");
    CreateJob create = SDK.readValue(body(sent.get(1)), CreateJob.class);
    assertThat(create.getName()).isEqualTo("nightly");
    assertThat(create.getFormat()).isEqualTo(Format.MULTI_TASK);
    assertThat(create.getMaxConcurrentRuns()).isEqualTo(1L);
    ClusterSpec cluster = create.getJobClusters().iterator().next().getNewCluster();
    assertThat(cluster.getSparkVersion()).isEqualTo("15.4.x-scala2.12");
    assertThat(cluster.getAutoscale().getMaxWorkers()).isEqualTo(4L);
    assertThat(cluster.getSparkConf()).containsEntry("spark.sql.shuffle.partitions", "16");
    assertThat(cluster.getAwsAttributes().getFirstOnDemand()).isEqualTo(1L);
    List<Task> tasks = new ArrayList<>(create.getTasks());
    assertThat(tasks).extracting(Task::getTaskKey).containsExactly("raw_orders", "daily_revenue");
    assertThat(tasks.get(1).getDependsOn().iterator().next().getTaskKey()).isEqualTo("raw_orders");
    assertThat(tasks.get(1).getJobClusterKey()).isEqualTo("nightly_default_small");
    assertThat(tasks.get(1).getPythonWheelTask().getPackageName()).isEqualTo("daily_revenue");
    assertThat(tasks.get(1).getPythonWheelTask().getEntryPoint()).isEqualTo("main");
    assertThat(tasks.get(1).getPythonWheelTask().getParameters()).containsExactly("-i", "default", "-O", "{}");
    assertThat(tasks.get(1).getLibraries().iterator().next().getWhl())
        .isEqualTo("dbfs:/FileStore/shop/daily_revenue-1.0-py3-none-any.whl");
    assertThat(create.getSchedule().getQuartzCronExpression()).isEqualTo("0 0 2 * * ?");
    assertThat(create.getSchedule().getTimezoneId()).isEqualTo("Europe/Berlin");
    assertThat(create.getSchedule().getPauseStatus()).isEqualTo(PauseStatus.UNPAUSED);
    assertThat(create.getEmailNotifications().getOnFailure()).containsExactly("data-team@example.com");
    assertThat(create.getAccessControlList()).as("the ACL goes by the permissions call").isNull();

    assertThat(sent.get(2)).startsWith("PATCH /api/2.0/permissions/jobs/321 ");
    JobPermissionsRequest acl = SDK.readValue(body(sent.get(2)), JobPermissionsRequest.class);
    assertThat(acl.getAccessControlList()).singleElement().satisfies(a -> {
      assertThat(a.getGroupName()).isEqualTo("data-team");
      assertThat(a.getPermissionLevel()).isEqualTo(JobPermissionLevel.CAN_MANAGE_RUN);
    });
  }

  @Test
  void resetUpdateRunNowCancelAndDeleteBodiesAreTheSdksRequests() throws Exception {
    ws.enqueue(200, "{\"jobs\":[{\"job_id\":77,\"settings\":{\"name\":\"nightly\"}}],\"has_more\":false}");
    ws.enqueue(200, "{}");
    jobs.deploy(JobsClientTest.nightly(), JobsClientTest.artifacts());
    ws.enqueue(200, JobsClientTest.scheduled("UNPAUSED"));
    ws.enqueue(200, "{}");
    jobs.pause("77");
    ws.enqueue(200, "{\"run_id\":455644833,\"number_in_job\":455644833}");
    jobs.runNow("77", "8f14e45f-ceea-467a-9f7b-5b1c1d3e6a90");
    ws.enqueue(200, "{}");
    jobs.cancelRun("455644833");
    ws.enqueue(200, "{}");
    jobs.delete("77");
    List<String> sent = bodies(7);

    ResetJob reset = SDK.readValue(body(sent.get(1)), ResetJob.class);
    assertThat(reset.getJobId()).isEqualTo(77L);
    assertThat(reset.getNewSettings().getName()).isEqualTo("nightly");
    assertThat(reset.getNewSettings().getTasks()).hasSize(2);
    assertThat(reset.getNewSettings().getJobClusters().iterator().next().getNewCluster().getRuntimeEngine())
        .hasToString("PHOTON");

    UpdateJob update = SDK.readValue(body(sent.get(3)), UpdateJob.class);
    assertThat(update.getJobId()).isEqualTo(77L);
    assertThat(update.getNewSettings().getSchedule().getPauseStatus()).isEqualTo(PauseStatus.PAUSED);
    assertThat(update.getNewSettings().getSchedule().getQuartzCronExpression()).isEqualTo("0 0 2 * * ?");
    assertThat(update.getNewSettings().getSchedule().getTimezoneId()).isEqualTo("Europe/Berlin");

    RunNow runNow = SDK.readValue(body(sent.get(4)), RunNow.class);
    assertThat(runNow.getJobId()).isEqualTo(77L);
    assertThat(runNow.getIdempotencyToken()).isEqualTo("8f14e45f-ceea-467a-9f7b-5b1c1d3e6a90");

    assertThat(SDK.readValue(body(sent.get(5)), CancelRun.class).getRunId()).isEqualTo(455644833L);
    assertThat(SDK.readValue(body(sent.get(6)), DeleteJob.class).getJobId()).isEqualTo(77L);
  }

  @Test
  void theProjectFixturesRequestsAreTheSdksCreateJob() throws Exception {
    Placeholders values = Placeholders.none().withProjectId("4711").withReleaseVersion("0.3.1")
        .withProphecyUrl("https://app.example.com");
    CreateJob nightly = SDK.readValue(DatabricksJobJson.read(JobsClientTest.PROJECT.resolve(
        "jobs/nightly/code/databricks-job.json")).request(values).toString(), CreateJob.class);
    assertThat(nightly.getTasks()).extracting(Task::getTaskKey).containsExactly("raw_orders", "revenue");
    assertThat(nightly.getJobClusters().iterator().next().getNewCluster().getSparkConf())
        .containsEntry("spark.prophecy.metadata.url", "https://app.example.com");
    CreateJob legacy = SDK.readValue(DatabricksJobJson.read(JobsClientTest.PROJECT.resolve(
        "jobs/legacy_weekly/code/databricks-job.json")).request(values).toString(), CreateJob.class);
    assertThat(legacy.getTasks().iterator().next().getSparkJarTask().getMainClassName())
        .isEqualTo("io.prophecy.pipelines.weekly_report.Main");
    assertThat(legacy.getSchedule().getPauseStatus()).isEqualTo(PauseStatus.PAUSED);
  }

  @Test
  void theStrictReaderDoesCatchAFieldTheSdkDoesNotKnow() {
    assertThatThrownBy(() -> SDK.readValue("{\"name\":\"j\",\"max_concurent_runs\":1}", CreateJob.class))
        .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("max_concurent_runs");
    assertThatThrownBy(() -> SDK.readValue("{\"job_id\":1,\"new_settings\":{\"access_control_list\":[]}}",
        ResetJob.class)).as("reset takes no ACL: that is why it goes by the permissions call")
        .isInstanceOf(UnrecognizedPropertyException.class);
  }

  @Test
  void theScriptedAnswersAreTheSdksResponses() throws Exception {
    assertThat(SDK.readValue("{\"job_id\":1108312645937413}", CreateResponse.class).getJobId())
        .isEqualTo(1108312645937413L);
    assertThat(SDK.readValue("{\"run_id\":455644833,\"number_in_job\":455644833}", RunNowResponse.class).getRunId())
        .isEqualTo(455644833L);
    ListJobsResponse list = SDK.readValue("{\"jobs\":[" + JobsClientTest.job(11, "nightly") + "],\"has_more\":true,"
        + "\"next_page_token\":\"p2\"}", ListJobsResponse.class);
    assertThat(list.getJobs().iterator().next().getSettings().getName()).isEqualTo("nightly");
    assertThat(list.getNextPageToken()).isEqualTo("p2");
    Run run = SDK.readValue("{\"job_id\":77,\"run_id\":455644833,\"state\":{\"life_cycle_state\":\"TERMINATED\","
        + "\"result_state\":\"FAILED\",\"state_message\":\"x\"},\"tasks\":[{\"run_id\":2,\"task_key\":\"daily_revenue\","
        + "\"state\":{\"life_cycle_state\":\"TERMINATED\",\"result_state\":\"TIMEDOUT\",\"state_message\":\"t\"}}]}",
        Run.class);
    assertThat(run.getState().getLifeCycleState()).isEqualTo(RunLifeCycleState.TERMINATED);
    assertThat(run.getTasks().iterator().next().getState().getResultState()).isEqualTo(RunResultState.TIMEDOUT);
    assertThat(SDK.readValue(JobsClientTest.scheduled("PAUSED"), com.databricks.sdk.service.jobs.Job.class)
        .getSettings().getSchedule().getPauseStatus()).isEqualTo(PauseStatus.PAUSED);
  }
}

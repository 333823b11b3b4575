package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.Schedule;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.JobArtifacts;
import io.prophecy.sdk.spi.JobRunStatus;
import io.prophecy.sdk.spi.JobScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs through the SDK itself: a team's Databricks fabric with job-size presets deploys a job, runs it and
 * reads its status through core's view of the connection, with the user's token from the vault.
 */
class DatabricksJobsThroughProphecyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String token = "dapi" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

  @Test
  void aTeamFabricDeploysRunsAndWatchesAJob(@TempDir Path home) throws Exception {
    try (MockWebServer server = new MockWebServer(); Prophecy prophecy = Prophecy.builder().home(home).build()) {
      server.start();
      String url = server.url("/").toString();
      ProphecySession alice = prophecy.as(prophecy.users().create("alice@example.com"));
      Fabric dbx = alice.teams().create("analytics").fabrics().create(FabricSpec.builder().kind("databricks")
          .name("dev").putSettings("workspaceUrl", url.substring(0, url.length() - 1))
          .putSettings("jobSizes", "{\"small\":{\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\","
              + "\"num_workers\":1}}").build());
      dbx.credentials().set(Credentials.ofSecret("token", Secret.of(token)));
      JobSpec job = JobSpec.builder().name("nightly").fabric("dev").addPipelines("orders").jobSize("small")
          .schedule(Schedule.cron("0 0 2 * * ?", "UTC")).build();
      enqueue(server, 200, "{\"jobs\":[],\"has_more\":false}");
      enqueue(server, 200, "{\"job_id\":42}");
      enqueue(server, 200, "{\"run_id\":7,\"number_in_job\":7}");
      enqueue(server, 200, "{\"job_id\":42,\"run_id\":7,\"state\":{\"life_cycle_state\":\"RUNNING\","
          + "\"state_message\":\"In run\"},\"tasks\":[{\"run_id\":8,\"task_key\":\"orders\",\"state\":"
          + "{\"life_cycle_state\":\"RUNNING\",\"state_message\":\"\"}}]}");
      enqueue(server, 400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Job 43 does not exist. " + token
          + "\"}");

      try (FabricConnection c = dbx.connect()) {
        assertThat(c.capabilities()).contains(Capability.JOBS);
        JobScheduler jobs = c.scheduler();
        String id = jobs.deploy(job, JobArtifacts.builder().putPipelineArtifacts("orders", "dbfs:/w/orders.whl").build());
        assertThat(id).isEqualTo("42");
        assertThat(jobs.runNow(id, "run-2026-12-02")).isEqualTo("7");
        JobRunStatus status = jobs.runStatus("7");
        assertThat(status.state()).isEqualTo(JobRunStatus.State.RUNNING);
        assertThat(status.message()).contains("In run");
        assertThat(status.tasks()).containsExactly(new JobRunStatus.Task("orders", JobRunStatus.State.RUNNING,
            java.util.Optional.empty()));
        assertThatThrownBy(() -> jobs.delete("43")).isInstanceOf(ProphecyException.class)
            .hasMessageContaining("Job 43 does not exist").hasMessageNotContaining(token);
      }

      RecordedRequest list = take(server, "GET /api/2.1/jobs/list?name=nightly&limit=100");
      assertThat(list.getBodySize()).isZero();
      JsonNode create = JSON.readTree(take(server, "POST /api/2.1/jobs/create").getBody().utf8());
      assertThat(create.at("/job_clusters/0/new_cluster/node_type_id").asText()).isEqualTo("i3.xlarge");
      assertThat(create.at("/tasks/0/libraries/0/whl").asText()).isEqualTo("dbfs:/w/orders.whl");
      assertThat(create.at("/schedule/quartz_cron_expression").asText()).isEqualTo("0 0 2 * * ?");
      assertThat(JSON.readTree(take(server, "POST /api/2.1/jobs/run-now").getBody().utf8()))
          .isEqualTo(JSON.readTree("{\"job_id\":42,\"idempotency_token\":\"run-2026-12-02\"}"));
      take(server, "GET /api/2.1/jobs/runs/get?run_id=7");
      assertThat(JSON.readTree(take(server, "POST /api/2.1/jobs/delete").getBody().utf8()))
          .isEqualTo(JSON.readTree("{\"job_id\":43}"));
    }
  }

  @Test
  void aProjectsJobOnADatabricksFabricKeepsItsDatabricksJobJsonWhichDeploysAsItIs(@TempDir Path home)
      throws Exception {
    try (MockWebServer server = new MockWebServer(); Prophecy prophecy = Prophecy.builder().home(home).build()) {
      server.start();
      String url = server.url("/").toString();
      String sizes = "{\"small\":{\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\","
          + "\"num_workers\":1}}";
      ProphecySession alice = prophecy.as(prophecy.users().create("alice@example.com"));
      var team = alice.teams().create("analytics");
      Fabric dbx = team.fabrics().create(FabricSpec.builder().kind("databricks").name("dev")
          .putSettings("workspaceUrl", url.substring(0, url.length() - 1)).putSettings("jobSizes", sizes).build());
      dbx.credentials().set(Credentials.ofSecret("token", Secret.of(token)));
      Project shop = team.projects().create("shop");
      shop.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("dbfs:/data/orders.csv")
          .addSchema(DatasetSpec.Column.of("id", "long")).build());
      shop.datasets().create(DatasetSpec.builder().name("copy").format("parquet").path("dbfs:/out/copy").build());
      shop.pipelines().create("orders", p -> p.source("Orders", "orders").target("Copy", "Orders", "copy"));
      JobSpec spec = JobSpec.builder().name("nightly").fabric("dev").addPipelines("orders").jobSize("small")
          .schedule(Schedule.cron("0 0 2 * * ?", "UTC")).build();

      // a size the fabric has no preset for is refused when the job is created, and nothing is written
      assertThatThrownBy(() -> shop.jobs().create(JobSpec.builder().from(spec).name("big").jobSize("large").build()))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("job.jobSize");
      assertThat(shop.jobs().list()).isEmpty();
      assertThat(shop.workingCopy().resolve("jobs/big")).doesNotExist();

      shop.jobs().create(spec);
      Path file = shop.workingCopy().resolve("jobs/nightly/code/databricks-job.json");
      String expected = DatabricksJobJson.generate(spec, DatabricksJobJson.Options.of(dbx.info().id(),
          JobSizes.parse(sizes))).toJson();
      assertThat(Files.readString(file)).isEqualTo(expected);
      DatabricksJobJson kept = DatabricksJobJson.read(file);
      assertThat(kept.fabricId()).isEqualTo(dbx.info().id());
      assertThat(kept.jobName()).isEqualTo("nightly");

      enqueue(server, 200, "{\"jobs\":[],\"has_more\":false}");
      enqueue(server, 200, "{\"job_id\":51}");
      try (FabricConnection c = dbx.connect()) {
        String id = c.unwrap(DatabricksConnection.class).orElseThrow().scheduler()
            .deploy(kept, Placeholders.none().withProjectId("shop-1").withReleaseVersion("0.1.0"));
        assertThat(id).isEqualTo("51");
      }
      take(server, "GET /api/2.1/jobs/list?name=nightly&limit=100");
      JsonNode create = JSON.readTree(take(server, "POST /api/2.1/jobs/create").getBody().utf8());
      assertThat(create).isEqualTo(kept.request(Placeholders.none().withProjectId("shop-1").withReleaseVersion("0.1.0")));
      assertThat(create.at("/tasks/0/task_key").asText()).isEqualTo("orders");
      assertThat(create.at("/job_clusters/0/new_cluster/node_type_id").asText()).isEqualTo("i3.xlarge");
      assertThat(create.toString()).contains("shop-1/0.1.0").doesNotContain("PLACEHOLDER");

      shop.jobs().get("nightly").delete();
      assertThat(shop.workingCopy().resolve("jobs/nightly")).doesNotExist();
    }
  }

  private RecordedRequest take(MockWebServer server, String methodAndTarget) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.getMethod() + " " + r.getTarget()).isEqualTo(methodAndTarget);
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + token);
    assertThat(r.getHeaders().get("User-Agent")).startsWith("prophecy-java-sdk/");
    return r;
  }

  private static void enqueue(MockWebServer server, int code, String json) {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(json)
        .build());
  }
}

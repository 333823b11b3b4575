package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.Schedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** databricks-job.json: generated in Prophecy's layout with the same bytes every time, read, substituted. */
class DatabricksJobJsonTest {
  static final JobSizes SIZES = JobSizes.parse("{\"small\":{\"spark_version\":\"15.4.x-scala2.12\","
      + "\"node_type_id\":\"i3.xlarge\",\"num_workers\":1,\"autotermination_minutes\":30,"
      + "\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"8\",\"spark.databricks.delta.preview.enabled\":\"true\"}},"
      + "\"default\":{\"spark_version\":\"14.3.x-scala2.12\",\"node_type_id\":\"m5.large\",\"num_workers\":0}}");
  static final Path PROJECT = Path.of("src/test/resources/projects/dbx_shop");

  static JobSpec.Builder nightly() {
    return JobSpec.builder().name("nightly").fabric("dev").addPipelines("raw_orders", "daily-revenue")
        .schedule(Schedule.cron("0 0 2 1/1 * ? *", "UTC")).jobSize("small").addAlertEmails("ops@example.com");
  }

  /** The file, written out by hand from the layout in docs/prophecy-project-format.md. */
  static final String EXPECTED = """
      {
        "fabric_id" : "4711",
        "components" : [ {
          "PipelineComponent" : {
            "id" : "pipelines/raw_orders",
            "nodeName" : "raw_orders",
            "path" : "dbfs:/FileStore/prophecy/artifacts/__PROJECT_ID_PLACEHOLDER__/__PROJECT_RELEASE_VERSION_PLACEHOLDER__/pipeline/raw_orders-1.0-py3-none-any.whl",
            "language" : "python"
          }
        }, {
          "PipelineComponent" : {
            "id" : "pipelines/daily-revenue",
            "nodeName" : "daily-revenue",
            "path" : "dbfs:/FileStore/prophecy/artifacts/__PROJECT_ID_PLACEHOLDER__/__PROJECT_RELEASE_VERSION_PLACEHOLDER__/pipeline/daily_revenue-1.0-py3-none-any.whl",
            "language" : "python"
          }
        } ],
        "request" : {
          "format" : "MULTI_TASK",
          "name" : "nightly",
          "job_clusters" : [ {
            "job_cluster_key" : "nightly_default_small",
            "new_cluster" : {
              "spark_version" : "15.4.x-scala2.12",
              "node_type_id" : "i3.xlarge",
              "num_workers" : 1,
              "spark_conf" : {
                "spark.databricks.delta.preview.enabled" : "true",
                "spark.sql.shuffle.partitions" : "8"
              }
            }
          } ],
          "tasks" : [ {
            "task_key" : "raw_orders",
            "job_cluster_key" : "nightly_default_small",
            "python_wheel_task" : {
              "package_name" : "raw_orders",
              "entry_point" : "main",
              "parameters" : [ "-i", "default", "-O", "{}" ]
            },
            "libraries" : [ {
              "whl" : "dbfs:/FileStore/prophecy/artifacts/__PROJECT_ID_PLACEHOLDER__/__PROJECT_RELEASE_VERSION_PLACEHOLDER__/pipeline/raw_orders-1.0-py3-none-any.whl"
            } ]
          }, {
            "task_key" : "daily-revenue",
            "depends_on" : [ {
              "task_key" : "raw_orders"
            } ],
            "job_cluster_key" : "nightly_default_small",
            "python_wheel_task" : {
              "package_name" : "daily-revenue",
              "entry_point" : "main",
              "parameters" : [ "-i", "default", "-O", "{}" ]
            },
            "libraries" : [ {
              "whl" : "dbfs:/FileStore/prophecy/artifacts/__PROJECT_ID_PLACEHOLDER__/__PROJECT_RELEASE_VERSION_PLACEHOLDER__/pipeline/daily_revenue-1.0-py3-none-any.whl"
            } ]
          } ],
          "schedule" : {
            "quartz_cron_expression" : "0 0 2 1/1 * ? *",
            "timezone_id" : "UTC",
            "pause_status" : "UNPAUSED"
          },
          "email_notifications" : {
            "on_failure" : [ "ops@example.com" ]
          },
          "max_concurrent_runs" : 1
        }
      }
      """;

  @Test
  void aJobIsGeneratedInProphecysLayout() {
    DatabricksJobJson file = DatabricksJobJson.generate(nightly().build(), DatabricksJobJson.Options.of("4711", SIZES));
    assertThat(file.toJson()).isEqualTo(EXPECTED);
    assertThat(file.jobName()).isEqualTo("nightly");
    assertThat(file.fabricId()).isEqualTo("4711");
    assertThat(file.source()).isEqualTo("generated:nightly");
    assertThat(file.componentIds()).containsExactly("pipelines/raw_orders", "pipelines/daily-revenue");
    assertThat(file.placeholders()).containsExactly(Placeholders.PROJECT_ID, Placeholders.RELEASE_VERSION);
  }

  @Test
  void theSameJobGivesTheSameBytesWhateverTheOrderOfThePresetsConf() throws Exception {
    JobSizes reordered = JobSizes.parse("{\"default\":{\"num_workers\":0,\"node_type_id\":\"m5.large\","
        + "\"spark_version\":\"14.3.x-scala2.12\"},\"small\":{\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"8\","
        + "\"spark.databricks.delta.preview.enabled\":\"true\"},\"autotermination_minutes\":30,"
        + "\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\",\"num_workers\":1}}");
    byte[] one = DatabricksJobJson.generate(nightly().build(), DatabricksJobJson.Options.of("4711", SIZES)).toJson()
        .getBytes(StandardCharsets.UTF_8);
    byte[] two = DatabricksJobJson.generate(nightly().build(), DatabricksJobJson.Options.of("4711", reordered))
        .toJson().getBytes(StandardCharsets.UTF_8);
    // the fields of the preset keep the order they are written in; the maps inside are sorted
    JsonNode a = new ObjectMapper().readTree(one);
    JsonNode b = new ObjectMapper().readTree(two);
    assertThat(b).isEqualTo(a);
    assertThat(new String(two, StandardCharsets.UTF_8)).contains("\"spark.databricks.delta.preview.enabled\" : \"true\","
        + "\n          \"spark.sql.shuffle.partitions\" : \"8\"");
    assertThat(DatabricksJobJson.generate(nightly().build(), DatabricksJobJson.Options.of("4711", SIZES)).toJson()
        .getBytes(StandardCharsets.UTF_8)).isEqualTo(one);
    assertThat(new String(one, StandardCharsets.UTF_8)).doesNotContain("\r");
  }

  @Test
  void optionsChangeArtifactsInstanceAndAclAndADisabledJobIsPaused() {
    JobSpec off = nightly().enabled(false).jobSize(java.util.Optional.empty()).alertEmails(List.of()).build();
    DatabricksJobJson file = DatabricksJobJson.generate(off, DatabricksJobJson.Options.of("9", SIZES)
        .withArtifacts(Map.of("raw_orders", "/Volumes/main/shop/wheels/raw_orders-2.0-py3-none-any.whl"))
        .withArtifactRoot("s3://bucket/prophecy").withConfigInstance("prod")
        .withAccessControl(List.of(new DatabricksJobJson.AccessControl(
            DatabricksJobJson.AccessControl.Principal.USER, "bob@example.com", "CAN_MANAGE"))));
    JsonNode request = file.tree().get("request");

    assertThat(request.at("/schedule/pause_status").asText()).isEqualTo("PAUSED");
    assertThat(request.at("/job_clusters/0/job_cluster_key").asText()).isEqualTo("nightly_default_default");
    assertThat(request.at("/job_clusters/0/new_cluster/node_type_id").asText()).isEqualTo("m5.large");
    assertThat(request.at("/tasks/0/libraries/0/whl").asText())
        .isEqualTo("/Volumes/main/shop/wheels/raw_orders-2.0-py3-none-any.whl");
    assertThat(request.at("/tasks/1/libraries/0/whl").asText()).isEqualTo("s3://bucket/prophecy/"
        + Placeholders.PROJECT_ID + "/" + Placeholders.RELEASE_VERSION + "/pipeline/daily_revenue-1.0-py3-none-any.whl");
    assertThat(request.at("/tasks/1/python_wheel_task/parameters").toString()).isEqualTo("[\"-i\",\"prod\",\"-O\",\"{}\"]");
    assertThat(request.get("email_notifications").isEmpty()).isTrue();
    assertThat(request.get("access_control_list").toString())
        .isEqualTo("[{\"user_name\":\"bob@example.com\",\"permission_level\":\"CAN_MANAGE\"}]");
  }

  @Test
  void generatingChecksTheJobSizeAndTheArtifacts() {
    JobSizes onlySmall = JobSizes.parse("{\"small\":{\"spark_version\":\"15.4.x-scala2.12\","
        + "\"node_type_id\":\"i3.xlarge\",\"num_workers\":1}}");
    assertThatThrownBy(() -> DatabricksJobJson.generate(nightly().jobSize(java.util.Optional.empty()).build(),
        DatabricksJobJson.Options.of("1", onlySmall))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("job.jobSize (not set, so the preset 'default')").hasMessageContaining("[small]");
    assertThatThrownBy(() -> DatabricksJobJson.generate(nightly().build(), DatabricksJobJson.Options.of("1", SIZES)
        .withArtifacts(Map.of("ghost", "dbfs:/g.whl")))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("artifacts.ghost").hasMessageContaining("runs no pipeline 'ghost'");
    assertThatThrownBy(() -> new DatabricksJobJson.AccessControl(DatabricksJobJson.AccessControl.Principal.GROUP,
        "admins", "CAN_RUN")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("accessControl.permissionLevel");
  }

  @Test
  void aWrittenFileReadsBackEqual(@TempDir Path dir) throws Exception {
    DatabricksJobJson file = DatabricksJobJson.generate(nightly().build(), DatabricksJobJson.Options.of("4711", SIZES));
    Path path = dir.resolve("jobs/nightly/code").resolve(DatabricksJobJson.FILE_NAME);
    file.write(path);
    assertThat(Files.readString(path)).isEqualTo(EXPECTED);
    assertThat(DatabricksJobJson.read(path)).isEqualTo(file);
  }

  @Test
  void aProjectsFileKeepsItsOwnFieldsAndSubstitutesOnlyValues() throws Exception {
    Path path = PROJECT.resolve("jobs/nightly/code/databricks-job.json");
    DatabricksJobJson file = DatabricksJobJson.read(path);

    assertThat(file.jobName()).isEqualTo("nightly");
    assertThat(file.fabricId()).isEqualTo("4711");
    assertThat(file.placeholders()).containsExactly(Placeholders.PROJECT_ID, Placeholders.RELEASE_VERSION,
        Placeholders.PROPHECY_URL);
    assertThat(file.tree().get("secret_scope").asText()).isEqualTo("prophecy_jobs_4711");
    JsonNode request = file.request(Placeholders.none().withProjectId("4711").withReleaseVersion("0.3.1")
        .withProphecyUrl("https://app.example.com"));
    assertThat(request.at("/job_clusters/0/new_cluster/spark_conf/spark.prophecy.metadata.job.uri").asText())
        .isEqualTo("4711/jobs/nightly");
    assertThat(request.at("/tasks/1/libraries/2/whl").asText())
        .isEqualTo("dbfs:/FileStore/prophecy/artifacts/dev/execution/4711/0.3.1/pipeline/daily_revenue-1.0-py3-none-any.whl");
    // the overrides' JSON text in a parameter stays as it is
    assertThat(request.at("/tasks/1/python_wheel_task/parameters/3").asText()).isEqualTo("{\"region\":\"EU\"}");
    // the file itself is not changed by a substitution
    assertThat(file.placeholders()).hasSize(3);
  }

  @Test
  void aValueWithQuotesIsSubstitutedSafely() {
    DatabricksJobJson file = DatabricksJobJson.parse("{\"request\":{\"name\":\"j\",\"tasks\":[],"
        + "\"description\":\"release __PROJECT_RELEASE_VERSION_PLACEHOLDER__\"}}", "inline.json");
    JsonNode r = file.request(Placeholders.none().withReleaseVersion("1.0 \"beta\""));
    assertThat(r.get("description").asText()).isEqualTo("release 1.0 \"beta\"");
    assertThat(Placeholders.none().with("__NEW_THING_PLACEHOLDER__", "x").values())
        .containsEntry("__NEW_THING_PLACEHOLDER__", "x");
    assertThatThrownBy(() -> Placeholders.none().with("PROJECT_ID", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedFilesAreRefusedNamingTheFileAndField() {
    assertThatThrownBy(() -> DatabricksJobJson.parse("{", "jobs/a/code/databricks-job.json"))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("jobs/a/code/databricks-job.json: is not JSON");
    assertThatThrownBy(() -> DatabricksJobJson.parse("{\"fabric_id\":\"1\"}", "f.json"))
        .hasMessageStartingWith("f.json: request: is missing");
    assertThatThrownBy(() -> DatabricksJobJson.parse("{\"request\":{\"tasks\":[]}}", "f.json"))
        .hasMessageStartingWith("f.json: request.name: is missing");
    assertThatThrownBy(() -> DatabricksJobJson.parse("{\"request\":{\"name\":\"j\",\"tasks\":{}}}", "f.json"))
        .hasMessageStartingWith("f.json: request.tasks: must be a list");
    assertThatThrownBy(() -> DatabricksJobJson.parse("[]", "f.json")).hasMessageContaining("must hold a JSON object");
  }

  @Test
  void anExplicitGraphReplacesTheChain() {
    JobSpec three = nightly().pipelines(List.of("raw_orders", "daily-revenue", "returns")).build();
    DatabricksJobJson file = DatabricksJobJson.generate(three, DatabricksJobJson.Options.of("1", SIZES)
        .withDependencies(Map.of("daily-revenue", List.of("raw_orders"), "returns", List.of("raw_orders"))));
    JsonNode tasks = file.tree().at("/request/tasks");
    assertThat(tasks.get(0).has("depends_on")).isFalse();
    assertThat(tasks.get(1).get("depends_on").toString()).isEqualTo("[{\"task_key\":\"raw_orders\"}]");
    assertThat(tasks.get(2).get("depends_on").toString()).isEqualTo("[{\"task_key\":\"raw_orders\"}]");

    DatabricksJobJson join = DatabricksJobJson.generate(three, DatabricksJobJson.Options.of("1", SIZES)
        .withDependencies(Map.of("returns", List.of("raw_orders", "daily-revenue"))));
    assertThat(join.tree().at("/request/tasks/2/depends_on").toString())
        .isEqualTo("[{\"task_key\":\"raw_orders\"},{\"task_key\":\"daily-revenue\"}]");
    assertThat(join.tree().at("/request/tasks/1").has("depends_on")).isFalse();
  }

  @Test
  void aBadGraphIsRefusedNamingTheField() {
    JobSpec three = nightly().pipelines(List.of("raw_orders", "daily-revenue", "returns")).build();
    DatabricksJobJson.Options o = DatabricksJobJson.Options.of("1", SIZES);
    assertThatThrownBy(() -> DatabricksJobJson.generate(three, o.withDependencies(Map.of("ghost", List.of()))))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("dependencies.ghost: job 'nightly' runs no"
            + " pipeline 'ghost'");
    assertThatThrownBy(() -> DatabricksJobJson.generate(three, o.withDependencies(Map.of("returns",
        List.of("raw_orders", "nope"))))).hasMessageStartingWith("dependencies.returns[1]:");
    assertThatThrownBy(() -> DatabricksJobJson.generate(three, o.withDependencies(Map.of("returns",
        List.of("returns"))))).hasMessageContaining("cannot wait for itself");
    assertThatThrownBy(() -> DatabricksJobJson.generate(three, o.withDependencies(Map.of("returns",
        List.of("raw_orders", "raw_orders"))))).hasMessageStartingWith("dependencies.returns[1]:")
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> DatabricksJobJson.generate(three, o.withDependencies(Map.of(
        "raw_orders", List.of("returns"), "returns", List.of("daily-revenue"), "daily-revenue", List.of("raw_orders")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("dependencies: the pipelines wait for each other in a cycle: raw_orders -> returns -> daily-revenue"
            + " -> raw_orders; remove one of these dependencies");
  }

  @Test
  void aProjectsJobAsItsIndexKeepsItIsGeneratedToo() {
    io.prophecy.sdk.model.JobInfo info = io.prophecy.sdk.model.JobInfo.builder().name("nightly")
        .addPipelines("raw_orders", "daily-revenue").fabricId("f-1").fabric("dev").scheduleCron("0 0 2 1/1 * ? *")
        .timeZone("UTC").jobSize("small").addAlertEmails("ops@example.com").build();
    assertThat(DatabricksJobJson.generate(info, DatabricksJobJson.Options.of("4711", SIZES)).toJson())
        .isEqualTo(EXPECTED);

    io.prophecy.sdk.model.JobInfo elsewhere = io.prophecy.sdk.model.JobInfo.builder().from(info)
        .fabric(java.util.Optional.empty()).build();
    assertThatThrownBy(() -> DatabricksJobJson.generate(elsewhere, DatabricksJobJson.Options.of("4711", SIZES)))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("job.fabric:")
        .hasMessageContaining("fabric id f-1");
    io.prophecy.sdk.model.JobInfo airflow = io.prophecy.sdk.model.JobInfo.builder().from(info)
        .scheduleCron("0 2 * * *").build();
    assertThatThrownBy(() -> DatabricksJobJson.generate(airflow, DatabricksJobJson.Options.of("4711", SIZES)))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("schedule.quartzCron:");
  }
}

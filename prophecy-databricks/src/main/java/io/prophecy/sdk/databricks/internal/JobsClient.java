package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.databricks.DatabricksJobJson;
import io.prophecy.sdk.databricks.DatabricksScheduler;
import io.prophecy.sdk.databricks.JobSizes;
import io.prophecy.sdk.databricks.Placeholders;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.spi.JobArtifacts;
import io.prophecy.sdk.spi.JobRunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jobs API 2.1 over one connection's HTTP client, and the connection's {@link DatabricksScheduler}.
 *
 * <p>What may be repeated after a 503 or a lost connection: reads, {@code jobs/reset} and
 * {@code jobs/update} (the same settings twice give the same job), {@code runs/cancel},
 * {@code jobs/delete}, the permissions PATCH, and {@code run-now}, which always carries an
 * {@code idempotency_token}. {@code jobs/create} is never repeated: a second one makes a second job.
 */
public final class JobsClient implements DatabricksScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(JobsClient.class);
  private static final String KIND = DatabricksFabricProvider.KIND;
  /** The largest page {@code jobs/list} gives. */
  static final int PAGE = 100;

  private final DatabricksHttp http;
  private final JobSizes jobSizes;

  public JobsClient(DatabricksHttp http, JobSizes jobSizes) {
    this.http = http;
    this.jobSizes = jobSizes;
  }

  // ---------------------------------------------------------------- deploy

  /**
   * Generates the job's Jobs request (see {@link DatabricksJobJson#generate}) with the artifacts given,
   * which must name every pipeline of the job, and deploys it.
   */
  @Override
  public String deploy(JobSpec job, JobArtifacts artifacts) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(artifacts, "artifacts");
    for (String p : job.pipelines()) {
      if (!artifacts.pipelineArtifacts().containsKey(p)) {
        throw new InvalidInputException("artifacts.pipelineArtifacts." + p, "job '" + job.name() + "' runs pipeline"
            + " '" + p + "', but no built artifact (wheel) is given for it; build it and give its location on the"
            + " workspace, such as dbfs:/FileStore/prophecy/artifacts/.../" + DatabricksJobJson.wheelFile(p));
      }
    }
    DatabricksJobJson json = DatabricksJobJson.generate(job, DatabricksJobJson.Options.of(job.fabric(), jobSizes)
        .withArtifacts(artifacts.pipelineArtifacts()));
    return deploy(json, Placeholders.none());
  }

  @Override
  public String deploy(DatabricksJobJson job, Placeholders values) {
    ObjectNode settings = job.request(values);
    String name = job.jobName();
    JsonNode acl = settings.remove("access_control_list");
    if (acl != null && !acl.isArray()) {
      throw new InvalidInputException(job.source() + ": request.access_control_list", "must be a list of"
          + " {user_name|group_name|service_principal_name, permission_level}");
    }
    List<String> same = idsNamed(name);
    String jobId;
    if (same.isEmpty()) {
      JsonNode answer = http.post("/api/2.1/jobs/create", settings, "create job " + name,
          DatabricksHttp.Repeat.NOT_SAFE);
      jobId = answer.path("job_id").asText("");
      if (jobId.isEmpty()) {
        throw new ConnectorException(KIND, "Databricks at " + http.workspace().host() + " created job " + name
            + " but gave no job_id; look for it in the workspace's Jobs");
      }
      LOG.info("databricks: created job {} ({})", name, jobId);
    } else if (same.size() == 1) {
      jobId = same.get(0);
      ObjectNode body = DatabricksHttp.object();
      body.put("job_id", Long.parseLong(jobId));
      body.set("new_settings", settings);
      http.post("/api/2.1/jobs/reset", body, "reset job " + name, DatabricksHttp.Repeat.SAFE);
      LOG.info("databricks: reset job {} ({})", name, jobId);
    } else {
      throw new ConflictException("Databricks at " + http.workspace().host() + " has " + same.size() + " jobs named '"
          + name + "' (job ids " + String.join(", ", same) + "); the deploy would not know which to update, so it"
          + " changed nothing. Delete or rename all but one of them and deploy again");
    }
    if (acl != null && !acl.isEmpty()) {
      ObjectNode body = DatabricksHttp.object();
      body.set("access_control_list", acl);
      http.patch("/api/2.0/permissions/jobs/" + jobId, body, "set the permissions of job " + name,
          DatabricksHttp.Repeat.SAFE);
    }
    return jobId;
  }

  /** The ids of the jobs named exactly so (the filter of {@code jobs/list} ignores case), on every page. */
  private List<String> idsNamed(String name) {
    List<String> ids = new ArrayList<>();
    pages(page -> page == null
        ? http.get("/api/2.1/jobs/list", "look up job " + name, "name", name, "limit", String.valueOf(PAGE))
        : http.get("/api/2.1/jobs/list", "look up job " + name, "name", name, "limit", String.valueOf(PAGE),
            "page_token", page), j -> {
          if (name.equals(j.path("settings").path("name").asText(null))) {
            ids.add(j.path("job_id").asText());
          }
        });
    return ids;
  }

  private void pages(Function<String, JsonNode> fetch, java.util.function.Consumer<JsonNode> each) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    String page = null;
    do {
      JsonNode answer = fetch.apply(page);
      for (JsonNode j : answer.path("jobs")) {
        each.accept(j);
      }
      String next = answer.path("next_page_token").asText("");
      page = next.isEmpty() || !answer.path("has_more").asBoolean(true) ? null : next;
      if (page != null && !seen.add(page)) {
        throw new ConnectorException(KIND, "Databricks at " + http.workspace().host() + " gave the page token of"
            + " jobs/list twice; the listing would never end. Try again later");
      }
    } while (page != null);
  }

  @Override
  public List<DeployedJob> list() {
    List<DeployedJob> jobs = new ArrayList<>();
    pages(page -> page == null
        ? http.get("/api/2.1/jobs/list", "list jobs", "limit", String.valueOf(PAGE))
        : http.get("/api/2.1/jobs/list", "list jobs", "limit", String.valueOf(PAGE), "page_token", page),
        j -> jobs.add(new DeployedJob(j.path("job_id").asText(), j.path("settings").path("name").asText(""))));
    return List.copyOf(jobs);
  }

  // ---------------------------------------------------------------- schedule

  @Override
  public void pause(String jobId) {
    setPaused(jobId, true);
  }

  @Override
  public void resume(String jobId) {
    setPaused(jobId, false);
  }

  private void setPaused(String jobId, boolean paused) {
    long id = id("jobId", jobId);
    String want = paused ? "PAUSED" : "UNPAUSED";
    JsonNode job = http.get("/api/2.1/jobs/get", "get job " + jobId, "job_id", jobId);
    String name = job.path("settings").path("name").asText(jobId);
    JsonNode schedule = job.path("settings").get("schedule");
    if (schedule == null || !schedule.isObject() || schedule.path("quartz_cron_expression").asText("").isEmpty()) {
      throw new InvalidInputException("jobId", "job " + jobId + " (" + name + ") has no schedule to "
          + (paused ? "pause" : "resume") + "; it runs only when started. Deploy it with a schedule first");
    }
    if (want.equals(schedule.path("pause_status").asText(""))) {
      LOG.debug("databricks: job {} ({}) is {} already", name, jobId, want);
      return;
    }
    ObjectNode body = DatabricksHttp.object();
    body.put("job_id", id);
    ObjectNode s = body.putObject("new_settings").putObject("schedule");
    s.put("quartz_cron_expression", schedule.path("quartz_cron_expression").asText());
    s.put("timezone_id", schedule.path("timezone_id").asText("UTC"));
    s.put("pause_status", want);
    http.post("/api/2.1/jobs/update", body, (paused ? "pause" : "resume") + " job " + name,
        DatabricksHttp.Repeat.SAFE);
    LOG.info("databricks: job {} ({}) is {}", name, jobId, want);
  }

  // ---------------------------------------------------------------- runs

  /**
   * Starts a run. Without a token one is made, so that the call is always safe to retry; Databricks
   * takes tokens of at most 64 characters.
   */
  @Override
  public String runNow(String jobId, String idempotencyToken) {
    long id = id("jobId", jobId);
    String token = idempotencyToken == null || idempotencyToken.isBlank() ? UUID.randomUUID().toString()
        : idempotencyToken;
    if (token.length() > 64) {
      throw new InvalidInputException("idempotencyToken", "has " + token.length() + " characters; Databricks takes"
          + " at most 64, such as a UUID");
    }
    ObjectNode body = DatabricksHttp.object();
    body.put("job_id", id);
    body.put("idempotency_token", token);
    JsonNode answer = http.post("/api/2.1/jobs/run-now", body, "run job " + jobId, DatabricksHttp.Repeat.NOT_SAFE);
    String runId = answer.path("run_id").asText("");
    if (runId.isEmpty()) {
      throw new ConnectorException(KIND, "Databricks at " + http.workspace().host() + " started job " + jobId
          + " but gave no run_id; look for the run in the job's runs");
    }
    return runId;
  }

  @Override
  public JobRunStatus runStatus(String runId) {
    id("runId", runId);
    JsonNode run = http.get("/api/2.1/jobs/runs/get", "get run " + runId, "run_id", runId);
    JobRunStatus.Builder b = JobRunStatus.builder().runId(runId);
    JsonNode state = run.path("state");
    b.state(state(state)).message(message(state));
    for (JsonNode t : run.path("tasks")) {
      JsonNode ts = t.path("state");
      b.addTasks(new JobRunStatus.Task(t.path("task_key").asText(""), state(ts), message(ts)));
    }
    return b.build();
  }

  /** Maps a run's {@code state {life_cycle_state, result_state}} to core's state. */
  static JobRunStatus.State state(JsonNode state) {
    String life = state.path("life_cycle_state").asText("");
    String result = state.path("result_state").asText("");
    switch (life) {
      case "QUEUED", "PENDING", "BLOCKED", "WAITING_FOR_RETRY", "":
        return JobRunStatus.State.PENDING;
      case "RUNNING", "TERMINATING":
        return JobRunStatus.State.RUNNING;
      case "SKIPPED":
        return JobRunStatus.State.SKIPPED;
      case "INTERNAL_ERROR":
        return JobRunStatus.State.FAILED;
      default:
        break; // TERMINATED, and any newer state: the result says
    }
    switch (result) {
      case "SUCCESS", "SUCCESS_WITH_FAILURES":
        return JobRunStatus.State.SUCCEEDED;
      case "CANCELED", "UPSTREAM_CANCELED":
        return JobRunStatus.State.CANCELLED;
      case "EXCLUDED":
        return JobRunStatus.State.SKIPPED;
      case "":
        return life.equals("TERMINATED") ? JobRunStatus.State.FAILED : JobRunStatus.State.RUNNING;
      default: // FAILED, TIMEDOUT, MAXIMUM_CONCURRENT_RUNS_REACHED, UPSTREAM_FAILED, DISABLED ...
        return JobRunStatus.State.FAILED;
    }
  }

  /**
   * Databricks' own words: the states that core's state does not already say (such as
   * {@code INTERNAL_ERROR} or {@code TIMEDOUT}) and the state message.
   */
  static Optional<String> message(JsonNode state) {
    String life = state.path("life_cycle_state").asText("");
    String result = state.path("result_state").asText("");
    String text = state.path("state_message").asText("").trim();
    String said = "";
    if (life.equals("INTERNAL_ERROR") || life.equals("BLOCKED") || life.equals("WAITING_FOR_RETRY")
        || life.equals("QUEUED")) {
      said = life;
    }
    if (!result.isEmpty() && !List.of("SUCCESS", "FAILED", "CANCELED").contains(result)) {
      said = said.isEmpty() ? result : said + " " + result;
    }
    String out = said.isEmpty() ? text : text.isEmpty() ? said : said + ": " + text;
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  @Override
  public void cancelRun(String runId) {
    ObjectNode body = DatabricksHttp.object();
    body.put("run_id", id("runId", runId));
    http.post("/api/2.1/jobs/runs/cancel", body, "cancel run " + runId, DatabricksHttp.Repeat.SAFE);
  }

  @Override
  public void delete(String jobId) {
    ObjectNode body = DatabricksHttp.object();
    body.put("job_id", id("jobId", jobId));
    http.post("/api/2.1/jobs/delete", body, "delete job " + jobId, DatabricksHttp.Repeat.SAFE);
    LOG.info("databricks: deleted job {}", jobId);
  }

  /** Job and run ids are numbers (int64) in the Jobs API. */
  private static long id(String field, String id) {
    if (id == null || !id.matches("[0-9]{1,19}")) {
      throw new InvalidInputException(field, "'" + id + "' is not a Databricks " + (field.equals("runId") ? "run"
          : "job") + " id, a number such as 1108312645937413");
    }
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, "'" + id + "' is too large for a Databricks id");
    }
  }

  @Override
  public String toString() {
    return "DatabricksJobs[" + http.workspace().host() + "]";
  }
}

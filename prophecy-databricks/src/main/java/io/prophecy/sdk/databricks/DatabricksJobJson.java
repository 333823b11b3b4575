package io.prophecy.sdk.databricks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * A job's {@code jobs/<name>/code/databricks-job.json}, in Prophecy's layout: {@code fabric_id},
 * {@code components [{PipelineComponent {id, nodeName, path, language}}]} and {@code request}, the Jobs API
 * 2.1 body that is deployed. Other top-level fields a real file carries ({@code cluster_mode},
 * {@code secret_scope}, {@code sorted_processes} ...) are kept as they are. Immutable.
 *
 * <p>Made two ways: {@link #read read} from a project (a file Prophecy wrote deploys as it is, only its
 * placeholders substituted), or {@link #generate generated} from a {@link JobSpec}:
 *
 * <pre>{@code
 * JobSizes sizes = JobSizes.parse(fabricSettings.get("jobSizes"));
 * DatabricksJobJson file = DatabricksJobJson.generate(spec, DatabricksJobJson.Options.of("4711", sizes));
 * file.write(projectDir.resolve("jobs/nightly/code/databricks-job.json"));          // same bytes every time
 * String jobId = connection.scheduler().deploy(file, Placeholders.none().withProjectId("4711")
 *     .withReleaseVersion("0.3.1"));
 * }</pre>
 *
 * <p>A generated job has one job cluster, {@code <job>_default_<size>}, from the fabric's job-size preset
 * (the job's {@code jobSize}, else the preset {@code default}); one {@code python_wheel_task} per
 * pipeline (package {@code <pipeline>}, entry point {@code main}, parameters
 * {@code -i <config instance> -O {}}) whose library is the pipeline's wheel; each task depends on the one
 * before it, as a {@link JobSpec}'s pipelines run in order; the schedule, paused when the job is disabled;
 * and failure e-mails to the job's alert addresses.
 */
public final class DatabricksJobJson {
  /** The file's name in a job's {@code code} folder. */
  public static final String FILE_NAME = "databricks-job.json";
  /** Where Prophecy keeps built pipelines unless told otherwise. */
  public static final String DEFAULT_ARTIFACT_ROOT = "dbfs:/FileStore/prophecy/artifacts";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Prophecy's own look ({@code "key" : value}, two-space indent), with LF line ends on every system. */
  private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
      .withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private final ObjectNode root;
  private final String source;

  private DatabricksJobJson(ObjectNode root, String source) {
    this.root = root;
    this.source = source;
  }

  // ------------------------------------------------------------------------------------------ reading

  /**
   * Reads a project's file.
   *
   * @throws InvalidInputException naming the file when it is not JSON or not a job definition
   */
  public static DatabricksJobJson read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses the text of a {@code databricks-job.json}.
   *
   * @param source where it came from, for messages
   * @throws InvalidInputException naming the source and the field that is wrong
   */
  public static DatabricksJobJson parse(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(source, "is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(source, "must hold a JSON object with fabric_id, components and request");
    }
    DatabricksJobJson json = new DatabricksJobJson((ObjectNode) root, source);
    ObjectNode request = json.rawRequest();
    JsonNode name = request.get("name");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      throw new InvalidInputException(source + ": request.name", "is missing; the Jobs request names the job");
    }
    JsonNode tasks = request.get("tasks");
    if (tasks != null && !tasks.isArray()) {
      throw new InvalidInputException(source + ": request.tasks", "must be a list of tasks");
    }
    return json;
  }

  /** The Jobs body as stored; older files wrap it in {@code CreateNewJobRequest}. */
  private ObjectNode rawRequest() {
    JsonNode request = root.get("request");
    if (request != null && request.isObject() && request.size() == 1 && request.get("CreateNewJobRequest") != null
        && request.get("CreateNewJobRequest").isObject()) {
      request = request.get("CreateNewJobRequest");
    }
    if (request == null || !request.isObject()) {
      throw new InvalidInputException(source + ": request", "is missing; a databricks-job.json holds the Jobs API"
          + " request under request");
    }
    return (ObjectNode) request;
  }

  /** Where this came from: a file, or {@code generated:<job>}. */
  public String source() {
    return source;
  }

  /** The job's name, {@code request.name}. */
  public String jobName() {
    return rawRequest().get("name").asText();
  }

  /** The {@code fabric_id} the file was made for, or empty. */
  public String fabricId() {
    return root.path("fabric_id").asText("");
  }

  /** The placeholders the Jobs request holds, sorted, such as {@value Placeholders#PROJECT_ID}. */
  public Set<String> placeholders() {
    Set<String> found = new TreeSet<>();
    collect(rawRequest(), found);
    return found;
  }

  private static void collect(JsonNode node, Set<String> found) {
    if (node.isTextual()) {
      Matcher m = Placeholders.ANY.matcher(node.asText());
      while (m.find()) {
        found.add(m.group());
      }
    }
    for (JsonNode child : node) {
      collect(child, found);
    }
  }

  /**
   * The Jobs API body to deploy: a fresh copy of {@code request} (unwrapped from
   * {@code CreateNewJobRequest}) with every placeholder in its values replaced, as the build tool does.
   *
   * @throws InvalidInputException naming the file and every placeholder left without a value
   */
  public ObjectNode request(Placeholders values) {
    Objects.requireNonNull(values, "values");
    ObjectNode copy = rawRequest().deepCopy();
    substitute(copy, values);
    Set<String> left = new TreeSet<>();
    collect(copy, left);
    if (!left.isEmpty()) {
      throw new InvalidInputException(source, "still holds " + String.join(", ", left) + " after substitution;"
          + " give " + (left.size() == 1 ? "its value" : "their values") + " in the Placeholders of the deploy"
          + " (such as Placeholders.none().withProjectId(...).withReleaseVersion(...))");
    }
    return copy;
  }

  private static void substitute(JsonNode node, Placeholders values) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(values.apply(e.getValue().asText())));
        } else {
          substitute(e.getValue(), values);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(values.apply(a.get(i).asText())));
        } else {
          substitute(a.get(i), values);
        }
      }
    }
  }

  /** The whole file as a fresh JSON tree. */
  public ObjectNode tree() {
    return root.deepCopy();
  }

  /** The file's text: Prophecy's pretty layout, LF line ends, a final newline; the same bytes every time. */
  public String toJson() {
    try {
      return PRETTY.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + source, e);
    }
  }

  /** Writes {@link #toJson()} to the file, making its folders. */
  public void write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabricksJobJson j && j.root.equals(root);
  }

  @Override
  public int hashCode() {
    return root.hashCode();
  }

  @Override
  public String toString() {
    return "DatabricksJobJson[" + jobName() + " from " + source + "]";
  }

  // ------------------------------------------------------------------------------------------ generating

  /** Who may do what on a deployed job: one entry of its access control list. */
  public record AccessControl(Principal principal, String name, String permissionLevel) {
    /** The kind of principal, with its field in the Permissions API. */
    public enum Principal {
      USER("user_name"),
      GROUP("group_name"),
      SERVICE_PRINCIPAL("service_principal_name");

      private final String field;

      Principal(String field) {
        this.field = field;
      }

      public String field() {
        return field;
      }
    }

    public AccessControl {
      Objects.requireNonNull(principal, "principal");
      if (name == null || name.isBlank()) {
        throw new InvalidInputException("accessControl.name", "names no " + principal.field());
      }
      if (permissionLevel == null || !Set.of("CAN_VIEW", "CAN_MANAGE_RUN", "IS_OWNER", "CAN_MANAGE")
          .contains(permissionLevel)) {
        throw new InvalidInputException("accessControl.permissionLevel", "is " + permissionLevel + "; give one of"
            + " CAN_VIEW, CAN_MANAGE_RUN, IS_OWNER, CAN_MANAGE");
      }
    }
  }

  /**
   * What generating needs beyond the {@link JobSpec}. Immutable; each {@code with} gives a new one.
   *
   * @param fabricId the fabric's id, written as {@code fabric_id}
   * @param jobSizes the fabric's presets, one of which sizes the job cluster
   * @param artifacts each pipeline's wheel; a pipeline not named here gets
   *     {@code <artifactRoot>/__PROJECT_ID_PLACEHOLDER__/__PROJECT_RELEASE_VERSION_PLACEHOLDER__/pipeline/<wheel>}
   * @param artifactRoot where built pipelines are kept
   * @param configInstance the configuration instance every task runs with ({@code -i})
   * @param accessControl the job's access control list, applied after the job is created or reset
   */
  public record Options(String fabricId, JobSizes jobSizes, Map<String, String> artifacts, String artifactRoot,
      String configInstance, List<AccessControl> accessControl) {
    public Options {
      Objects.requireNonNull(fabricId, "fabricId");
      Objects.requireNonNull(jobSizes, "jobSizes");
      artifacts = Map.copyOf(artifacts);
      Objects.requireNonNull(artifactRoot, "artifactRoot");
      if (configInstance == null || configInstance.isBlank()) {
        throw new InvalidInputException("configInstance", "is empty; give the instance tasks run with, such as"
            + " default");
      }
      accessControl = List.copyOf(accessControl);
    }

    public static Options of(String fabricId, JobSizes jobSizes) {
      return new Options(fabricId, jobSizes, Map.of(), DEFAULT_ARTIFACT_ROOT, "default", List.of());
    }

    public Options withArtifacts(Map<String, String> byPipeline) {
      return new Options(fabricId, jobSizes, byPipeline, artifactRoot, configInstance, accessControl);
    }

    public Options withArtifactRoot(String root) {
      return new Options(fabricId, jobSizes, artifacts, root, configInstance, accessControl);
    }

    public Options withConfigInstance(String instance) {
      return new Options(fabricId, jobSizes, artifacts, artifactRoot, instance, accessControl);
    }

    public Options withAccessControl(List<AccessControl> acl) {
      return new Options(fabricId, jobSizes, artifacts, artifactRoot, configInstance, acl);
    }
  }

  /** The wheel file a generated pipeline builds: {@code <name>-1.0-py3-none-any.whl}, '-' written '_'. */
  public static String wheelFile(String pipeline) {
    return pipeline.replace('-', '_') + "-1.0-py3-none-any.whl";
  }

  /**
   * Generates the file of a job.
   *
   * @throws InvalidInputException naming {@code job.jobSize} when the fabric has no such preset, or
   *     {@code artifacts} when an artifact is given for a pipeline the job does not run
   */
  public static DatabricksJobJson generate(JobSpec job, Options options) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(options, "options");
    for (String p : new TreeSet<>(options.artifacts().keySet())) {
      if (!job.pipelines().contains(p)) {
        throw new InvalidInputException("artifacts." + p, "job '" + job.name() + "' runs no pipeline '" + p
            + "'; it runs " + job.pipelines());
      }
    }
    String size = job.jobSize().orElse("default");
    ObjectNode cluster = options.jobSizes().cluster(size, job.jobSize().isPresent() ? "job.jobSize"
        : "job.jobSize (not set, so the preset 'default')");
    cluster.remove("autotermination_minutes"); // a job cluster ends with its run: the field has no use there
    String clusterKey = job.name() + "_default_" + size;

    Map<String, String> paths = new LinkedHashMap<>();
    for (String p : job.pipelines()) {
      paths.put(p, options.artifacts().getOrDefault(p, options.artifactRoot() + "/" + Placeholders.PROJECT_ID + "/"
          + Placeholders.RELEASE_VERSION + "/pipeline/" + wheelFile(p)));
    }

    ObjectNode root = JSON.createObjectNode();
    root.put("fabric_id", options.fabricId());
    ArrayNode components = root.putArray("components");
    for (String p : job.pipelines()) {
      ObjectNode c = components.addObject().putObject("PipelineComponent");
      c.put("id", "pipelines/" + p);
      c.put("nodeName", p);
      c.put("path", paths.get(p));
      c.put("language", "python");
    }
    ObjectNode request = root.putObject("request");
    request.put("format", "MULTI_TASK");
    request.put("name", job.name());
    ObjectNode jobCluster = request.putArray("job_clusters").addObject();
    jobCluster.put("job_cluster_key", clusterKey);
    jobCluster.set("new_cluster", cluster);
    ArrayNode tasks = request.putArray("tasks");
    String previous = null;
    for (String p : job.pipelines()) {
      ObjectNode t = tasks.addObject();
      t.put("task_key", p);
      if (previous != null) {
        t.putArray("depends_on").addObject().put("task_key", previous);
      }
      t.put("job_cluster_key", clusterKey);
      ObjectNode wheel = t.putObject("python_wheel_task");
      wheel.put("package_name", p);
      wheel.put("entry_point", "main");
      wheel.putArray("parameters").add("-i").add(options.configInstance()).add("-O").add("{}");
      t.putArray("libraries").addObject().put("whl", paths.get(p));
      previous = p;
    }
    job.schedule().ifPresent(s -> schedule(request.putObject("schedule"), s, job.enabled()));
    ObjectNode mail = request.putObject("email_notifications");
    if (!job.alertEmails().isEmpty()) {
      ArrayNode onFailure = mail.putArray("on_failure");
      job.alertEmails().forEach(onFailure::add);
    }
    request.put("max_concurrent_runs", 1);
    if (!options.accessControl().isEmpty()) {
      ArrayNode acl = request.putArray("access_control_list");
      for (AccessControl a : options.accessControl()) {
        acl.addObject().put(a.principal().field(), a.name()).put("permission_level", a.permissionLevel());
      }
    }
    return new DatabricksJobJson(root, "generated:" + job.name());
  }

  private static void schedule(ObjectNode out, Schedule s, boolean enabled) {
    out.put("quartz_cron_expression", s.quartzCron());
    out.put("timezone_id", s.timeZone());
    out.put("pause_status", s.paused() || !enabled ? "PAUSED" : "UNPAUSED");
  }

  /** The pipelines of a file's components, by node name, in order (for messages and tests). */
  public List<String> componentPipelines() {
    List<String> out = new ArrayList<>();
    for (JsonNode c : root.path("components")) {
      JsonNode p = c.get("PipelineComponent");
      if (p != null) {
        out.add(p.path("id").asText(""));
      }
    }
    return out;
  }
}

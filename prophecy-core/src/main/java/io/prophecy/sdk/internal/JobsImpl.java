package io.prophecy.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Job;
import io.prophecy.sdk.Jobs;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.internal.project.ProjectFiles;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.JobInfo;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.PipelineInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A project's jobs, as entries of its index: {@code name}, {@code fabricUID}, {@code scheduler},
 * {@code jobSize}, {@code scheduleCron}, {@code alerting}, {@code pipelines}, {@code enabled}, and the
 * SDK's {@code scheduleTimeZone}.
 */
final class JobsImpl implements Jobs {
  private final ProjectImpl project;

  JobsImpl(ProjectImpl project) {
    this.project = project;
  }

  @Override
  public Job create(JobSpec spec) {
    String target = project.target() + "/job:" + spec.name();
    JobInfo info = project.engine.mutate(project.team.user.email(), "job.create", target, tx -> {
      project.requireVisible(tx.c);
      tx.team(project.team.info.id()).detail("fabric=" + spec.fabric() + " pipelines=" + spec.pipelines());
      ProjectFiles files = project.files();
      if (files.jobs().containsKey(spec.name())) {
        throw new ConflictException("Project '" + project.info.name() + "' has a job named '" + spec.name()
            + "' already; choose another name or delete that job first");
      }
      Set<String> pipelines = files.pipelines().stream().map(PipelineInfo::name).collect(Collectors.toSet());
      for (int i = 0; i < spec.pipelines().size(); i++) {
        if (!pipelines.contains(spec.pipelines().get(i))) {
          throw new InvalidInputException("job.pipelines[" + i + "]", "project '" + project.info.name()
              + "' has no pipeline '" + spec.pipelines().get(i) + "'; it has " + new java.util.TreeSet<>(pipelines));
        }
      }
      String[] fabric = Sql.one(tx.c, "SELECT id, kind, settings FROM fabrics WHERE team_id = ? AND name = ?",
              rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, project.team.info.id(),
              spec.fabric())
          .orElseThrow(() -> new InvalidInputException("job.fabric", "team '" + project.team.info.name()
              + "' has no fabric '" + spec.fabric() + "'"));
      ObjectNode entry = ProjectFiles.newNode();
      entry.put("name", spec.name());
      entry.put("fabricUID", fabric[0]);
      entry.putObject("scheduler").putObject(fabric[1].equals("databricks") ? "Databricks" : "ProphecySdk");
      spec.jobSize().ifPresent(s -> entry.put("jobSize", s));
      spec.schedule().ifPresent(s -> {
        entry.put("scheduleCron", s.quartzCron());
        entry.put("scheduleTimeZone", s.timeZone());
      });
      ObjectNode alerting = entry.putObject("alerting");
      alerting.put("emails", String.join(",", spec.alertEmails()));
      alerting.put("onStart", false);
      alerting.put("onSuccess", false);
      alerting.put("onFailure", !spec.alertEmails().isEmpty());
      ArrayNode ps = entry.putArray("pipelines");
      spec.pipelines().forEach(p -> ps.add("pipelines/" + p));
      entry.put("enabled", spec.enabled());
      // the fabric kind's own files for the job (Databricks: code/databricks-job.json), made before anything
      // is written, so that a job the kind refuses leaves nothing behind
      java.util.SortedMap<String, String> jobFiles = jobFiles(spec, fabric);
      files.putJobFiles(spec.name(), jobFiles);
      files.putJob(spec.name(), entry);
      return info(entry, fabricNames(tx.c));
    });
    return new JobImpl(project, info);
  }

  @Override
  public Job get(String name) {
    return list().stream().filter(j -> j.name().equals(name)).findFirst()
        .orElseThrow(() -> new NotFoundException("Project '" + project.info.name() + "' has no job named '" + name
            + "'; its jobs are listed by project.jobs().list()"));
  }

  @Override
  public List<Job> list() {
    Map<String, String> names = project.engine.db().read(c -> {
      project.requireVisible(c);
      return fabricNames(c);
    });
    return project.files().jobs().values().stream().map(e -> (Job) new JobImpl(project, info(e, names))).toList();
  }

  /** What the fabric's kind keeps in the project for the job; none when no provider of the kind is loaded. */
  private java.util.SortedMap<String, String> jobFiles(JobSpec spec, String[] fabric) {
    if (!project.engine.providers().kinds().contains(fabric[1])) {
      return new TreeMap<>();
    }
    var provider = project.engine.providers().get(fabric[1]).provider();
    var config = io.prophecy.sdk.spi.FabricConfig.builder().fabricId(fabric[0]).name(spec.fabric()).kind(fabric[1])
        .team(project.team.info.name()).settings(FabricsImpl.settingsOf(fabric[2])).build();
    return provider.jobFiles(spec, config);
  }

  private Map<String, String> fabricNames(Connection c) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    for (String[] row : Sql.list(c, "SELECT id, name FROM fabrics WHERE team_id = ?",
        rs -> new String[] {rs.getString(1), rs.getString(2)}, project.team.info.id())) {
      out.put(row[0], row[1]);
    }
    return out;
  }

  private static JobInfo info(JsonNode e, Map<String, String> fabricNames) {
    JobInfo.Builder b = JobInfo.builder().name(e.path("name").asText());
    e.path("pipelines").forEach(p -> {
      String s = p.asText();
      b.addPipelines(s.substring(s.lastIndexOf('/') + 1));
    });
    Optional<String> fabricId = text(e, "fabricUID");
    b.fabricId(fabricId).fabric(fabricId.map(fabricNames::get));
    b.scheduleCron(text(e, "scheduleCron")).timeZone(text(e, "scheduleTimeZone")).jobSize(text(e, "jobSize"));
    text(e.path("alerting"), "emails").ifPresent(s -> Arrays.stream(s.split(","))
        .map(String::trim).filter(x -> !x.isEmpty()).forEach(b::addAlertEmails));
    b.enabled(e.path("enabled").asBoolean(true));
    return b.build();
  }

  private static Optional<String> text(JsonNode node, String field) {
    return ProjectFiles.text(node, field).filter(s -> !s.isEmpty());
  }

  private static final class JobImpl implements Job {
    private final ProjectImpl project;
    private final JobInfo info;

    JobImpl(ProjectImpl project, JobInfo info) {
      this.project = project;
      this.info = info;
    }

    @Override
    public JobInfo info() {
      return info;
    }

    @Override
    public void delete() {
      project.engine.mutate(project.team.user.email(), "job.delete", project.target() + "/job:" + info.name(), tx -> {
        project.requireVisible(tx.c);
        tx.team(project.team.info.id());
        if (!project.files().removeJob(info.name())) {
          throw new NotFoundException("Job '" + info.name() + "' of project '" + project.info.name() + "' was deleted already");
        }
        return null;
      });
    }

    @Override
    public String toString() {
      return "Job[" + project.info.name() + "/" + info.name() + "]";
    }
  }
}

package io.prophecy.sdk.internal;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.RunOptions;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.internal.project.PipelineRead;
import io.prophecy.sdk.internal.project.ProjectFiles;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.PipelineInfo;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A pipeline as one member sees it. */
final class PipelineImpl implements Pipeline {
  final ProjectImpl project;
  final PipelineInfo info;

  PipelineImpl(ProjectImpl project, PipelineInfo info) {
    this.project = project;
    this.info = info;
  }

  /** The project's datasets by name, for gems that name them as {@code datasets/<name>}. */
  static DatasetLookup lookup(ProjectFiles files) {
    return lookup(files.datasets());
  }

  /** The datasets as a fabric sees them: its own physical datasets where the project has them. */
  static DatasetLookup lookup(ProjectFiles files, String fabric) {
    return lookup(files.datasets(fabric));
  }

  /** A lookup over these datasets, by name. */
  static DatasetLookup lookup(List<DatasetSpec> datasets) {
    Map<String, DatasetSpec> byName = new TreeMap<>();
    for (DatasetSpec d : datasets) {
      byName.put(d.name(), d);
    }
    return id -> Optional.ofNullable(byName.get(DatasetLookup.nameOf(id)));
  }

  @Override
  public PipelineInfo info() {
    return info;
  }

  @Override
  public PipelineGraph graph() {
    project.requireVisible();
    return read(project.files(), info.name());
  }

  /** The graph of a listed pipeline; an error naming the workflow file when it cannot be read. */
  static PipelineGraph read(io.prophecy.sdk.internal.project.ProjectFiles files, String name) {
    PipelineRead read = files.readPipeline(name);
    return read.graph().orElseThrow(() -> new io.prophecy.sdk.InvalidInputException(
        files.workflowFile(name).toString(), read.diagnostics().stream().map(Diagnostic::toString)
            .collect(java.util.stream.Collectors.joining("; "))));
  }

  @Override
  public List<Diagnostic> validate() {
    project.requireVisible();
    var files = project.files();
    PipelineRead read = files.readPipeline(info.name());
    List<Diagnostic> out = new java.util.ArrayList<>(read.diagnostics());
    read.graph().ifPresent(g -> {
      for (Diagnostic d : g.validate(lookup(files))) {
        // the file check names the same gem and field with the file's name; keep that one
        boolean known = read.diagnostics().stream().anyMatch(f -> f.gem().equals(d.gem())
            && f.location().map(l -> l.contains(": ") ? l.substring(l.indexOf(": ") + 2) : l).equals(d.location()));
        if (!known) {
          out.add(d);
        }
      }
    });
    return List.copyOf(out);
  }

  @Override
  public List<Diagnostic> validate(Fabric fabric) {
    return RunImpl.analyze(this, fabric);
  }

  @Override
  public String sparkSql() {
    PipelineGraph g = graph();
    return SparkSqlCompiler.script(g, lookup(project.files()), g.configuration().values(Optional.empty(), Map.of()));
  }

  @Override
  public List<io.prophecy.sdk.model.RunRecord> runs(int limit) {
    return project.engine.db().read(c -> {
      project.requireVisible(c);
      return RunHistory.list(c, project.info.id(), Optional.of(info.name()), limit);
    });
  }

  @Override
  public Run run(Fabric fabric, RunOptions options) {
    return RunImpl.start(this, fabric, options);
  }

  @Override
  public Pipeline update(PipelineGraph graph) {
    if (!graph.name().equals(info.name())) {
      throw new io.prophecy.sdk.InvalidInputException("pipeline.name", "the graph is named '" + graph.name()
          + "', not '" + info.name() + "'; a pipeline keeps its name");
    }
    String actor = project.team.user.email();
    PipelineInfo updated = project.engine.mutate(actor, "pipeline.update", target(), tx -> {
      project.requireVisible(tx.c);
      tx.team(project.team.info.id()).detail("gems=" + graph.gems().size());
      var files = project.files();
      if (!listed(files, info.name())) {
        throw new io.prophecy.sdk.NotFoundException("Project '" + project.info.name() + "' has no pipeline named '"
            + info.name() + "' any more");
      }
      PipelinesImpl.requireNoErrors(graph, lookup(files));
      var code = generate(files, graph, info.language().orElse(project.info.spec().language().name()));
      files.putPipeline(graph, actor, java.util.Optional.empty());
      code.ifPresent(c -> files.putPipelineCode(graph.name(), c.files(), c.owned()));
      return files.pipelines().stream().filter(p -> p.name().equals(info.name())).findFirst().orElseThrow();
    });
    return new PipelineImpl(project, updated);
  }

  @Override
  public void delete() {
    project.engine.mutate(project.team.user.email(), "pipeline.delete", target(), tx -> {
      project.requireVisible(tx.c);
      tx.team(project.team.info.id());
      var files = project.files();
      if (!listed(files, info.name())) {
        throw new io.prophecy.sdk.NotFoundException("Project '" + project.info.name() + "' has no pipeline named '"
            + info.name() + "' any more");
      }
      files.removePipeline(info.name());
      return null;
    });
  }

  /** Writes the pipeline's generated code (PySpark or Scala, as the project's language) beside its workflow. */
  /**
   * The pipeline's generated code (PySpark or Scala, as the project's language), made before anything is
   * written so that a pipeline the generators refuse leaves no file behind; none for a SQL project,
   * whose pipelines are Spark SQL compiled when they run ({@link Pipeline#sparkSql()}).
   */
  static Optional<io.prophecy.sdk.codegen.ProjectCode> generate(io.prophecy.sdk.internal.project.ProjectFiles files,
      PipelineGraph graph, String language) {
    if (language.equalsIgnoreCase("sql")) {
      return Optional.empty();
    }
    return Optional.of(io.prophecy.sdk.codegen.ProjectCode.of(graph, lookup(files), language));
  }

  static boolean listed(io.prophecy.sdk.internal.project.ProjectFiles files, String name) {
    return files.pipelines().stream().anyMatch(p -> p.name().equals(name));
  }

  String target() {
    return project.target() + "/pipeline:" + info.name();
  }

  @Override
  public String toString() {
    return "Pipeline[" + project.info.name() + "/" + info.name() + "]";
  }
}

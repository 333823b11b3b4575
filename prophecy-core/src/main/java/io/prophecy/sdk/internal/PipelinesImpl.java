package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Pipelines;
import io.prophecy.sdk.model.PipelineInfo;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** A project's pipelines: the index lists them, their workflow files hold their graphs. */
final class PipelinesImpl implements Pipelines {
  private final ProjectImpl project;

  PipelinesImpl(ProjectImpl project) {
    this.project = project;
  }

  @Override
  public Pipeline create(String name, Consumer<PipelineBuilder> steps) {
    PipelineBuilder b = PipelineGraph.builder(name).language(codeLanguage().equals("scala") ? "scala" : "python");
    steps.accept(b);
    return create(b.build());
  }

  private String codeLanguage() {
    return project.info.spec().language().name().toLowerCase(Locale.ROOT);
  }

  @Override
  public Pipeline create(PipelineGraph graph) {
    Checks.name("pipeline.name", graph.name());
    String actor = project.team.user.email();
    PipelineInfo info = project.engine.mutate(actor, "pipeline.create", project.target() + "/pipeline:" + graph.name(), tx -> {
      project.requireVisible(tx.c);
      tx.team(project.team.info.id()).detail("gems=" + graph.gems().size());
      var files = project.files();
      if (PipelineImpl.listed(files, graph.name())) {
        throw new ConflictException("Project '" + project.info.name() + "' has a pipeline named '" + graph.name()
            + "' already; choose another name, or get it and update it");
      }
      requireNoErrors(graph, PipelineImpl.lookup(files));
      var code = PipelineImpl.generate(files, graph, codeLanguage());
      files.putPipeline(graph, actor, java.util.Optional.empty());
      code.ifPresent(c -> files.putPipelineCode(graph.name(), c.files(), c.owned()));
      return info(graph.name());
    });
    return new PipelineImpl(project, info);
  }

  static void requireNoErrors(PipelineGraph graph, io.prophecy.sdk.pipeline.DatasetLookup lookup) {
    List<Diagnostic> errors = graph.validate(lookup).stream().filter(Diagnostic::isError).toList();
    if (!errors.isEmpty()) {
      throw new InvalidInputException("pipeline '" + graph.name() + "'", errors.size() + (errors.size() == 1
          ? " error" : " errors") + ":\n  " + errors.stream().map(Diagnostic::toString).collect(Collectors.joining("\n  ")));
    }
  }

  private PipelineInfo info(String name) {
    return project.files().pipelines().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Override
  public List<Pipeline> list() {
    project.requireVisible();
    return project.files().pipelines().stream().map(p -> (Pipeline) new PipelineImpl(project, p)).toList();
  }

  @Override
  public Pipeline get(String name) {
    project.requireVisible();
    return project.files().pipelines().stream().filter(p -> p.name().equals(name)).findFirst()
        .map(p -> (Pipeline) new PipelineImpl(project, p))
        .orElseThrow(() -> new NotFoundException("Project '" + project.info.name() + "' has no pipeline named '" + name
            + "'; its pipelines are listed by project.pipelines().list()"));
  }
}

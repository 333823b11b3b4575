package io.prophecy.sdk.internal;

import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Pipelines;
import io.prophecy.sdk.model.PipelineInfo;
import java.util.List;

/** A project's pipelines, read from its index. */
final class PipelinesImpl implements Pipelines {
  private final ProjectImpl project;

  PipelinesImpl(ProjectImpl project) {
    this.project = project;
  }

  @Override
  public List<Pipeline> list() {
    project.requireVisible();
    return project.files().pipelines().stream().map(PipelinesImpl::handle).toList();
  }

  @Override
  public Pipeline get(String name) {
    project.requireVisible();
    return project.files().pipelines().stream().filter(p -> p.name().equals(name)).findFirst()
        .map(PipelinesImpl::handle)
        .orElseThrow(() -> new NotFoundException("Project '" + project.info.name() + "' has no pipeline named '" + name
            + "'; its pipelines are listed by project.pipelines().list()"));
  }

  private static Pipeline handle(PipelineInfo info) {
    return new Pipeline() {
      @Override
      public PipelineInfo info() {
        return info;
      }

      @Override
      public String toString() {
        return "Pipeline[" + info.name() + "]";
      }
    };
  }
}

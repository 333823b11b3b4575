package io.prophecy.sdk.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fixture projects under {@code src/test/resources/projects}, written from docs/workflow-format-notes.md. */
final class Fixtures {
  private Fixtures() {}

  static Path project(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/projects/" + name + "/pbt_project.yml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path workflow(String project, String pipeline) {
    return project(project).resolve("pipelines").resolve(pipeline).resolve("code/.prophecy/workflow.latest.json");
  }

  static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PipelineGraph read(String project, String pipeline) {
    try {
      return PipelineGraph.fromWorkflow(pipeline, WorkflowWriter.readTree(text(workflow(project, pipeline))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

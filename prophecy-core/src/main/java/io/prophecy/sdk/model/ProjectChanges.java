package io.prophecy.sdk.model;

import java.util.List;

/**
 * What differs between two states of a project, as files and as the project model: which pipelines,
 * datasets and jobs were added, changed or deleted. An entity counts as changed when one of its files
 * ({@code pipelines/<name>/...}, {@code datasets/<name>/...}, {@code jobs/<name>/...}) or its entry in
 * {@code pbt_project.yml} changed.
 *
 * @param files the changed files, sorted by path
 * @param pipelines the changed pipelines, by name
 * @param datasets the changed datasets, by name
 * @param jobs the changed jobs, by name
 */
public record ProjectChanges(List<FileChange> files, List<EntityChange> pipelines, List<EntityChange> datasets,
    List<EntityChange> jobs) {
  /** One changed pipeline, dataset or job. */
  public record EntityChange(String name, FileChange.Change change) {
    @Override
    public String toString() {
      return change + " " + name;
    }
  }

  public ProjectChanges {
    files = List.copyOf(files);
    pipelines = List.copyOf(pipelines);
    datasets = List.copyOf(datasets);
    jobs = List.copyOf(jobs);
  }

  /** Whether nothing differs. */
  public boolean isEmpty() {
    return files.isEmpty();
  }

  @Override
  public String toString() {
    return "ProjectChanges{pipelines=" + pipelines + ", datasets=" + datasets + ", jobs=" + jobs
        + ", files=" + files + "}";
  }
}

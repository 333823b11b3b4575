package io.prophecy.sdk;

import java.util.List;

/**
 * A pull or merge met conflicting changes. The working copy is left exactly as it was before the
 * call: no file is half merged and no merge is in progress. {@link #files()} and {@link #pipelines()}
 * say what conflicted.
 */
public class MergeConflictException extends ConflictException {
  private static final long serialVersionUID = 1L;

  private final List<String> files;
  private final List<String> pipelines;

  public MergeConflictException(String message, List<String> files, List<String> pipelines) {
    super(message);
    this.files = List.copyOf(files);
    this.pipelines = List.copyOf(pipelines);
  }

  /** The conflicting files, relative to the project's folder, sorted. */
  public List<String> files() {
    return files;
  }

  /** The pipelines with a conflicting file, by name. */
  public List<String> pipelines() {
    return pipelines;
  }
}

package io.prophecy.sdk.internal.project;

import io.prophecy.sdk.pipeline.Diagnostic;
import java.util.List;

/**
 * What reading part of a project found: the items that could be read, and a diagnostic naming the file
 * of each that could not (or that is suspect). Reading a real project never fails as a whole because
 * one of its files is odd.
 *
 * @param items the items read, in name order
 * @param diagnostics the problems found, each naming its file
 */
public record ProjectScan<T>(List<T> items, List<Diagnostic> diagnostics) {
  public ProjectScan {
    items = List.copyOf(items);
    diagnostics = List.copyOf(diagnostics);
  }
}

package io.prophecy.sdk.codegen;

import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * A pipeline's code in its project's language, as Prophecy keeps it under {@code pipelines/<name>/code/}:
 * PySpark for Python projects, Scala otherwise.
 *
 * @param files the generated files, by path relative to {@code code/}
 * @param owned the folders, relative to {@code code/}, whose content is wholly generated (one file per gem)
 */
public record ProjectCode(SortedMap<String, String> files, List<String> owned) {
  public ProjectCode {
    files = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(files));
    owned = List.copyOf(owned);
  }

  /** Generates the code of a pipeline for a project whose language is {@code python} or {@code scala}. */
  public static ProjectCode of(PipelineGraph graph, DatasetLookup datasets, String language) {
    String pkg = packageFor(graph.name());
    if (language.toLowerCase(Locale.ROOT).equals("scala")) {
      String scala = ScalaGenerator.scalaPackage(pkg);
      return new ProjectCode(ScalaGenerator.generate(graph, datasets, pkg),
          List.of("src/main/scala/" + scala.replace('.', '/') + "/graph"));
    }
    return new ProjectCode(PySparkGenerator.generate(graph, datasets, pkg), List.of(pkg + "/graph"));
  }

  /**
   * Whether a dataset option would put a secret into a project's files (which go to Git): its key names
   * a password, token or key, or its value carries credentials ({@code user:password@host},
   * {@code password=...}).
   */
  public static boolean holdsSecret(String key, String value) {
    return CodeText.isSecretKey(key) && value != null && !value.isBlank()
        || value != null && !CodeText.withoutCredentials(value).equals(value);
  }

  /**
   * The package a pipeline's code goes in: its name with {@code -} as {@code _}, and {@code _} appended
   * when that is a Python or Scala keyword ({@code class} becomes {@code class_}).
   */
  public static String packageFor(String pipelineName) {
    String pkg = pipelineName.replace('-', '_');
    if (!pkg.isEmpty() && Character.isDigit(pkg.charAt(0))) {
      pkg = "p_" + pkg;
    }
    return CodeText.PYTHON_KEYWORDS.contains(pkg) || CodeText.SCALA_KEYWORDS.contains(pkg) ? pkg + "_" : pkg;
  }
}

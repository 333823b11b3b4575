package io.prophecy.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Project folders for tests, written here from the facts of the Prophecy project format (no file is
 * copied from a real project). Pipelines are added to an index the way Prophecy's own tools list them;
 * the SDK makes pipelines itself only from the pipelines issue on.
 */
public final class ProjectFixtures {
  /** Plain scalars and no document marker, as Prophecy writes its index. */
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private ProjectFixtures() {}

  /** Copies a fixture project of the test resources ({@code /projects/<name>}) into a folder; returns it. */
  public static Path copyResourceProject(String name, Path to) {
    try {
      Path from = Path.of(ProjectFixtures.class.getResource("/projects/" + name + "/pbt_project.yml").toURI()).getParent();
      try (var walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lists a pipeline in a project's index, as Prophecy does. */
  static void addPipeline(Path project, String name, List<String> inputs, List<String> outputs) {
    Path index = project.resolve("pbt_project.yml");
    try {
      ObjectNode root = (ObjectNode) YAML.readTree(index.toFile());
      ObjectNode entry = ((ObjectNode) root.get("pipelines")).putObject("pipelines/" + name);
      entry.put("name", name);
      entry.put("description", "");
      entry.put("mode", "batch");
      entry.put("language", "python");
      ObjectNode ds = entry.putObject("datasets");
      inputs.forEach(i -> ds.withArray("inputs").add("datasets/" + i));
      outputs.forEach(o -> ds.withArray("outputs").add("datasets/" + o));
      ds.withArray("inputs");
      ds.withArray("outputs");
      YAML.writeValue(index.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The smallest project folder: an index with a name and language. */
  static Path minimalProject(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("pbt_project.yml"), "name: " + name + "\nlanguage: python\nversion: 0.0.1\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A project as Prophecy writes one: an index with a pipeline, two datasets (one configured only for
   * a named fabric), an Airflow-style job on a fabric this SDK does not know, and keys the SDK does not
   * use.
   */
  static Path prophecyStyleProject(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("pbt_project.yml"), """
          name: Retail Demo
          description: Sales reporting
          version: 0.1.3
          author: someone@example.com
          language: python
          buildSystemDetails:
            artefactID: retaildemo
            parentArtefactID: someone
            buildSystem: wheel
            author: null
          pipelines:
            pipelines/ingest_sales:
              name: ingest_sales
              description: Loads the day's sales
              author: someone@example.com
              mode: batch
              language: python
              createdAt: '2024-03-01 10:00:00'
              datasets:
                inputs:
                - datasets/raw_sales
                outputs:
                - datasets/sales
              subgraphs: []
              dependencies: {}
          datasets:
            datasets/raw_sales:
              name: raw_sales
              description: ''
              mode: batch
              physicalDatasets:
                dev-fabric:
                  fabricId: 4711
                  datasetType: File
            datasets/sales:
              name: sales
              description: Cleaned sales
              mode: batch
              physicalDatasets:
                default:
                  datasetType: Table
          templates: {}
          jobs:
            jobs/daily_sales:
              name: daily_sales
              fabricUID: 4711
              scheduler:
                Prophecy: {}
              jobSize: small
              scheduleCron: 0 6 * * *
              alerting:
                emails: ops@example.com, lead@example.com
                onStart: false
                onSuccess: false
                onFailure: true
              pipelines:
              - pipelines/ingest_sales
              enabled: false
          functions:
            author: null
          subgraphs: {}
          dependencies: {}
          projectDependencies: {}
          flags:
            shouldAddDefaultDependenciesIfAbsent: true
          """);
      Path raw = dir.resolve("datasets/raw_sales/dev-fabric/configs");
      Files.createDirectories(raw);
      Files.writeString(raw.resolve("dataset.json"), """
          {
            "format" : "csv",
            "path" : "dbfs:/Prophecy/raw/sales.csv",
            "schema" : {"type" : "struct", "fields" : [
              {"name" : "id", "type" : "long", "nullable" : false, "metadata" : {}},
              {"name" : "amount", "type" : "decimal(10,2)", "nullable" : true, "metadata" : {}}
            ]},
            "header" : true,
            "separator" : ",",
            "inferSchema" : null
          }
          """);
      Path sales = dir.resolve("datasets/sales/default/configs");
      Files.createDirectories(sales);
      Files.writeString(sales.resolve("dataset.json"), """
          {"format": "catalogTable", "table": "retail.sales", "schema": {"type": "struct", "fields": []}, "writeMode": "overwrite"}
          """);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.Project;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A large project built through the SDK API, as a user's would be: {@value #SOURCES} source datasets, a
 * result dataset, and pipelines of six gems each (Source, Filter, Reformat, Aggregate, OrderBy,
 * Target), each with its workflow JSON and its generated code in Prophecy's layout.
 *
 * <p>{@link #edit} changes one expression in every pipeline, for benchmarks that need a change to
 * commit.
 */
final class BigProject {
  static final int SOURCES = 10;

  private BigProject() {}

  /** Creates the datasets and {@code pipelines} pipelines in the project, as round 0. */
  static void fill(Project project, int pipelines) {
    for (int s = 0; s < SOURCES; s++) {
      project.datasets().create(DatasetSpec.builder().name(source(s)).format("csv").path("data/orders_" + s + ".csv")
          .putOptions("header", "true")
          .addSchema(Column.of("id", "long"), Column.of("customer_id", "long"), Column.of("amount", "double"),
              Column.of("status", "string"))
          .build());
    }
    project.datasets().create(DatasetSpec.builder().name("totals").format("parquet").path("out/totals")
        .putOptions("writeMode", "overwrite").build());
    for (int i = 0; i < pipelines; i++) {
      int n = i;
      project.pipelines().create(name(n), p -> steps(p, n, 0));
    }
  }

  /**
   * Edits every pipeline of a project {@link #fill} made, in its working copy, for round {@code round}
   * (1, 2, ...): the Reformat gem's {@code amount} expression, {@code amount * <100 + round - 1> / 100},
   * becomes {@code amount * <100 + round> / 100} in the workflow JSON and in the generated
   * {@code graph/Shaped.py}, as a user editing that expression in every pipeline would leave them (two
   * files of each pipeline's seventeen). A file without exactly one such expression fails the edit.
   *
   * <p>Editing the files rather than calling {@code pipeline.update(graph)} keeps the benchmark's set-up
   * short: the SDK takes about 42 ms per pipeline to update (validation, code generation, index), 45 s
   * for 1,000 before every measured commit; the text edit takes well under a second.
   */
  static void edit(Path workingCopy, int pipelines, int round) throws IOException {
    String before = "amount * " + (100 + round - 1) + " / 100";
    String after = "amount * " + (100 + round) + " / 100";
    for (int i = 0; i < pipelines; i++) {
      String name = name(i);
      Path code = workingCopy.resolve("pipelines").resolve(name).resolve("code");
      for (Path file : List.of(code.resolve(".prophecy/workflow.latest.json"), code.resolve(name).resolve("graph/Shaped.py"))) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int at = text.indexOf(before);
        if (at < 0 || text.indexOf(before, at + 1) >= 0) {
          throw new IllegalStateException(file + " does not hold '" + before + "' exactly once");
        }
        Files.writeString(file, text.replace(before, after), StandardCharsets.UTF_8);
      }
    }
  }

  static String name(int i) {
    return String.format("pipeline_%04d", i);
  }

  private static String source(int s) {
    return "orders_" + s;
  }

  private static void steps(PipelineBuilder p, int i, int round) {
    p.source("Orders", source(i % SOURCES))
        .filter("Paid", "Orders", "status = 'PAID' AND amount > " + (i % 100 + round))
        .reformat("Shaped", "Paid", r -> r.column("id", "id").column("customer_id", "customer_id")
            .column("amount", "amount * " + (100 + round) + " / 100").column("status", "upper(status)"))
        .aggregate("By_Customer", "Shaped", a -> a.groupBy("customer_id").agg("orders", "count(*)")
            .agg("revenue", "sum(amount)"))
        .orderBy("Top_First", "By_Customer", o -> o.desc("revenue"))
        .target("Totals", "Top_First", "totals");
  }
}

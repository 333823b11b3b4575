package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;

/**
 * A large project built through the SDK API, as a user's would be: {@value #SOURCES} source datasets, a
 * result dataset, and pipelines of six gems each (Source, Filter, Reformat, Aggregate, OrderBy,
 * Target), each with its workflow JSON and its generated code in Prophecy's layout.
 *
 * <p>{@link #change} edits every pipeline as a user would (the filter's threshold and a column's
 * expression take the round number), through {@code pipeline.update(graph)}: each round rewrites every
 * pipeline's workflow JSON and generated code with new content.
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

  /** Changes every pipeline of the project for a new round (rounds after 0 differ from all before). */
  static int change(Project project, int round) {
    List<Pipeline> all = project.pipelines().list();
    for (Pipeline p : all) {
      int i = Integer.parseInt(p.name().substring("pipeline_".length()));
      PipelineBuilder b = PipelineGraph.builder(p.name()).language("python");
      steps(b, i, round);
      p.update(b.build());
    }
    return all.size();
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

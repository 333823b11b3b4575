package io.prophecy.sdk.examples;

import io.prophecy.sdk.Dataset;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The quickstart: a team, a fabric on embedded Spark, a project with two CSV datasets, a pipeline with a
 * join and an aggregate, an interactive run with each gem's row count and a sample, and the project
 * written in Prophecy's layout. Run it with {@code scripts/quickstart.sh}.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws InterruptedException {
    Path home = Path.of(args.length > 0 ? args[0] : "target/quickstart-home");
    run(home, System.out);
  }

  /** Runs the quickstart in a fresh home, printing what it does. */
  public static void run(Path home, PrintStream out) throws InterruptedException {
    // --8<-- [start:quickstart]
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      ProphecySession alice = prophecy.as(prophecy.users().create("alice@example.com"));
      Team team = alice.teams().create("analytics");
      Fabric dev = team.fabrics().create(FabricSpec.of("spark", "dev"));        // Spark embedded in this JVM
      Project shop = team.projects().create("shop");
      copySampleData(shop.workingCopy());                                       // data/orders.csv, data/customers.csv

      Dataset orders = shop.datasets().create(DatasetSpec.builder().name("orders").format("csv")
          .path("data/orders.csv").putOptions("header", "true")
          .addSchema(Column.of("id", "long"), Column.of("customer_id", "long"), Column.of("amount", "decimal(10,2)"),
              Column.of("status", "string"), Column.of("ordered_on", "date"))
          .build());
      Dataset customers = shop.datasets().create(DatasetSpec.builder().name("customers").format("csv")
          .path("data/customers.csv").putOptions("header", "true")
          .addSchema(Column.of("id", "long"), Column.of("name", "string"), Column.of("country", "string"))
          .build());
      Dataset revenue = shop.datasets().create(DatasetSpec.builder().name("revenue").format("parquet")
          .path("out/revenue").putOptions("writeMode", "overwrite").build());

      Pipeline daily = shop.pipelines().create("daily_revenue", p -> p
          .source("Orders", orders)
          .source("Customers", customers)
          .filter("Paid", "Orders", "status = 'PAID'")
          .join("With_Customer", java.util.List.of("Paid", "Customers"), j -> j
              .on("in1", "in0.customer_id = in1.id", JoinType.INNER)
              .columns("in0.amount", "in1.country"))
          .aggregate("By_Country", "With_Customer", a -> a
              .groupBy("country").agg("orders", "count(*)").agg("revenue", "sum(amount)"))
          .orderBy("Top_First", "By_Country", o -> o.desc("revenue"))
          .target("Revenue", "Top_First", revenue));

      Run run = daily.run(dev).await();                 // interactive: row counts, timings, samples per gem
      out.println("run " + run.status());
      out.print(run.metricsTable());
      out.println(run.interim("Top_First"));
      out.println("project written in Prophecy's layout at " + shop.workingCopy());
    }
    // --8<-- [end:quickstart]
    out.println("The Prophecy home is " + home.toAbsolutePath());
  }

  /** Copies the sample CSV files shipped with the examples into a project's {@code data/} folder. */
  public static void copySampleData(Path workingCopy) {
    for (String name : new String[] {"orders.csv", "customers.csv"}) {
      try (InputStream in = Quickstart.class.getResourceAsStream("data/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the examples jar lacks data/" + name);
        }
        Path target = workingCopy.resolve("data").resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the sample data into " + workingCopy, e);
      }
    }
  }
}

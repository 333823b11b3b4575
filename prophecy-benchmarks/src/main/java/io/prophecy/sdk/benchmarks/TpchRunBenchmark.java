package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Interims;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.RunOptions;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.tpch.TpchData;
import io.prophecy.sdk.tpch.TpchPipelines;
import io.prophecy.sdk.tpch.TpchQueries;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * A TPC-H query run as a pipeline on the embedded Spark fabric, against the same query's SQL run directly
 * on the same SparkSession. Target: the pipeline with interims off within 1.10x of the plain SQL.
 *
 * <p>The trial's setup writes the TPC-H tables as CSV, starts one local SparkSession, which the
 * {@code spark} fabric then adopts, and registers every table as a temporary view with its declared
 * schema. Each benchmark writes the query's result as parquet: {@link #plainSql} with
 * {@code spark.sql(...).write()}, the pipeline benchmarks through the query's pipeline with a Target
 * gem, run interactively with interims off ({@link Interims#NONE}: only the Target's rows are counted),
 * with interims off but every gem counted ({@code countRows(true)}), and with interims on
 * ({@link Interims#ALL}, 20 sample rows per gem). In a pipeline benchmark's trial the setup runs the
 * pipeline once and checks that it wrote the plain query's columns and rows. {@link #alternating} runs
 * the plain query and both interims-off pipelines within each operation, for a comparison under one JVM
 * state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
// A copy of the parent pom's spark.jvm.flags (JMH needs constants here); setup() fails if they drift apart.
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g",
    "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "-Djdk.reflect.useDirectMethodHandle=false"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TpchRunBenchmark {
  /** A class-path resource holding the parent pom's spark.jvm.flags, written by the build. */
  private static final String SPARK_FLAGS_RESOURCE = "spark-jvm-flags.txt";
  private static final String RESULT_GEM = "Result";
  private static final String RESULT_DATASET = "result";

  @Param({"1", "3", "5", "6", "10", "12"})
  public int query;

  /** The TPC-H scale factor of the generated data. */
  @Param({"0.05"})
  public double scale;

  private Path root;
  private SparkSession spark;
  private Prophecy prophecy;
  private Fabric fabric;
  private Pipeline pipeline;
  private String sql;
  private String plainOutput;
  private String pipelineOutput;

  /**
   * Prepares the data, Spark and the SDK; then runs the plain query once and, in a pipeline benchmark's
   * trial, the pipeline once, checking that it writes the rows the plain query writes.
   */
  @Setup(Level.Trial)
  public void setup(BenchmarkParams params) throws IOException, InterruptedException {
    requireSparkFlags();
    root = Files.createTempDirectory("prophecy-bench-tpch-");
    Path data = root.resolve("data");
    TpchData.of(scale).write(data);
    plainOutput = root.resolve("out/plain").toString();
    pipelineOutput = root.resolve("out/pipeline").toString();
    sql = TpchQueries.sql(query);

    // Started before the fabric connects, so the fabric adopts it: both sides share one Spark context.
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("tpch-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    for (String table : TpchData.TABLES) {
      DatasetSpec d = TpchData.dataset(table, data);
      String ddl = d.schema().stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
      spark.read().schema(ddl).option("header", "true").option("sep", ",").csv(d.path().orElseThrow())
          .createOrReplaceTempView(table);
    }

    prophecy = Prophecy.builder().home(root.resolve("home")).build();
    prophecy.users().create("bench@example.com");
    Team team = prophecy.as("bench@example.com").teams().create("bench");
    fabric = team.fabrics().create(FabricSpec.of("spark", "dev"));
    Project project = team.projects().create("tpch");
    for (String table : TpchData.TABLES) {
      project.datasets().create(TpchData.dataset(table, data));
    }
    project.datasets().create(DatasetSpec.builder().name(RESULT_DATASET).format("parquet").path(pipelineOutput)
        .putOptions("writeMode", "overwrite").build());
    pipeline = project.pipelines().create(
        withTarget(TpchPipelines.pipeline(query), TpchPipelines.output(query), RESULT_GEM, RESULT_DATASET));

    String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    plainSql();
    if (benchmark.startsWith("pipeline")) {
      run(options(benchmark));
      requireSameRows(benchmark);
    } else if (benchmark.equals("alternating")) {
      for (String side : List.of("pipelineInterimsOff", "pipelineInterimsOffCounted")) {
        run(options(side));
        requireSameRows(side);
      }
    }
  }

  @TearDown(Level.Trial)
  public void teardown() throws IOException {
    try {
      if (prophecy != null) {
        prophecy.close();
      }
    } finally {
      if (spark != null) {
        spark.stop();
      }
      Stores.deleteTree(root);
    }
  }

  /** Baseline: the query's SQL on the session, its result written as parquet. */
  @Benchmark
  public void plainSql() {
    spark.sql(sql).write().mode("overwrite").parquet(plainOutput);
  }

  /** The pipeline, run interactively without samples: only what the Target writes is counted. */
  @Benchmark
  public Run pipelineInterimsOff() throws InterruptedException {
    return run(options("pipelineInterimsOff"));
  }

  /** The pipeline, run without samples but counting every gem's rows ({@code countRows(true)}). */
  @Benchmark
  public Run pipelineInterimsOffCounted() throws InterruptedException {
    return run(options("pipelineInterimsOffCounted"));
  }

  /** The pipeline, run interactively with a sample of every gem's output. */
  @Benchmark
  public Run pipelineInterimsOn() throws InterruptedException {
    return run(options("pipelineInterimsOn"));
  }

  /** The time of each side of {@link #alternating}, in ms, summed over an iteration. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Sides {
    /** {@link #plainSql}. */
    public double plainMillis;
    /** {@link #pipelineInterimsOff}. */
    public double interimsOffMillis;
    /** {@link #pipelineInterimsOffCounted}. */
    public double countedMillis;

    @Setup(Level.Iteration)
    public void clear() {
      plainMillis = 0;
      interimsOffMillis = 0;
      countedMillis = 0;
    }
  }

  private int turn;

  /**
   * The plain query, the pipeline counting every gem and the pipeline without counts, one after another in
   * one operation on one SparkSession, so that all three meet the same JIT, GC and cache state; which one
   * goes first rotates from one operation to the next. The {@link Sides} counters hold each side's summed
   * time: their ratios are the comparison. (The other benchmarks run each side in a trial of its own.)
   */
  @Benchmark
  public void alternating(Sides sides) throws InterruptedException {
    int first = turn++ % 3;
    for (int k = 0; k < 3; k++) {
      int side = (first + k) % 3;
      long t = System.nanoTime();
      switch (side) {
        case 0 -> plainSql();
        case 1 -> run(options("pipelineInterimsOff"));
        default -> run(options("pipelineInterimsOffCounted"));
      }
      double ms = (System.nanoTime() - t) / 1e6;
      switch (side) {
        case 0 -> sides.plainMillis += ms;
        case 1 -> sides.interimsOffMillis += ms;
        default -> sides.countedMillis += ms;
      }
    }
  }

  private static RunOptions options(String benchmark) {
    return switch (benchmark) {
      case "pipelineInterimsOn" -> RunOptions.defaults().interims(Interims.ALL);
      case "pipelineInterimsOff" -> RunOptions.defaults().interims(Interims.NONE);
      case "pipelineInterimsOffCounted" -> RunOptions.defaults().interims(Interims.NONE).countRows(true);
      default -> throw new IllegalArgumentException("no run options for benchmark " + benchmark);
    };
  }

  private Run run(RunOptions options) throws InterruptedException {
    Run run = pipeline.run(fabric, options).await();
    if (run.status() != RunRecord.Status.SUCCEEDED) {
      throw new IllegalStateException("run " + run.id() + " of " + run.pipeline() + " (" + options + ") ended "
          + run.status() + ": " + run.failure().map(Run.Failure::toString).orElse("no failure given"));
    }
    return run;
  }

  /**
   * The graph with a Target gem that writes the output of {@code output} to {@code dataset}: the same gems,
   * specs and connections, rebuilt gem by gem.
   */
  static PipelineGraph withTarget(PipelineGraph graph, String output, String target, String dataset) {
    PipelineBuilder b = PipelineGraph.builder(graph.name());
    for (Gem g : graph.topologicalOrder()) {
      if (g.subgraph().isPresent()) {
        throw new IllegalArgumentException("gem '" + g.name() + "' is a subgraph, which this copy does not handle");
      }
      b.gem(g.name(), g.spec(), graph.upstream(g).values().stream().map(u -> u.gem().name()).toArray(String[]::new));
    }
    return b.target(target, output, dataset).build();
  }

  /** Fails unless the pipeline wrote the rows the plain query wrote. */
  private void requireSameRows(String benchmark) {
    Dataset<Row> plain = spark.read().parquet(plainOutput);
    Dataset<Row> written = spark.read().parquet(pipelineOutput);
    long expected = plain.count();
    long rows = written.count();
    if (!Arrays.equals(written.columns(), plain.columns()) || rows != expected || !written.exceptAll(plain).isEmpty()) {
      throw new IllegalStateException(benchmark + " of TPC-H query " + query + " wrote " + rows + " rows of "
          + Arrays.toString(written.columns()) + " to " + pipelineOutput + "; the plain query wrote " + expected
          + " rows of " + Arrays.toString(plain.columns()));
    }
  }

  /** Fails unless this JVM runs with every flag of the parent pom's {@code spark.jvm.flags}. */
  private static void requireSparkFlags() throws IOException {
    String flags;
    try (InputStream in = TpchRunBenchmark.class.getResourceAsStream(SPARK_FLAGS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the benchmarks jar lacks " + SPARK_FLAGS_RESOURCE);
      }
      flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    List<String> have = ManagementFactory.getRuntimeMXBean().getInputArguments();
    List<String> missing = Arrays.stream(flags.split("\\s+")).filter(f -> !have.contains(f)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("this JVM lacks Spark's flags " + missing + " that the parent pom's"
          + " spark.jvm.flags lists; copy them into @Fork(jvmArgsAppend) of TpchRunBenchmark");
    }
  }

  /** Runs this class's benchmarks with the settings of its annotations. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(TpchRunBenchmark.class.getName()).build()).run();
  }
}

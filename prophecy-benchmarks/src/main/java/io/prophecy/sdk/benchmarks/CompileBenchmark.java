package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compiling large pipelines: validation (graph, properties, schema flow) and Spark SQL for every gem.
 * The pipeline has {@code gems} gems in chains of ten (a Source, then Filter, Reformat, Join with the
 * previous chain, Aggregate, OrderBy, Deduplicate, WindowFunction, SchemaTransform, Limit), so every
 * compiler path and the graph's fan-in are exercised. Target: under 100 ms for 1,000 gems, and time
 * growing no faster than the gem count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompileBenchmark {
  @Param({"1000", "10000"})
  public int gems;

  private PipelineGraph graph;
  /** Ten pipelines of a tenth of the gems each: as much work and memory as {@link #graph}, no graph as large. */
  private PipelineGraph[] tenths;
  private DatasetLookup datasets;

  @Setup
  public void setup() {
    DatasetSpec events = DatasetSpec.builder().name("events").format("parquet").path("/data/events")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("kind", "string"),
            DatasetSpec.Column.of("amount", "double"))
        .build();
    datasets = id -> Optional.of(events);
    graph = pipeline(gems);
    tenths = new PipelineGraph[10];
    for (int i = 0; i < tenths.length; i++) {
      tenths[i] = pipeline(gems / 10);
    }
  }

  /** A pipeline of {@code n} gems (a multiple of ten). */
  static PipelineGraph pipeline(int n) {
    PipelineBuilder p = PipelineGraph.builder("large");
    String previous = null;
    for (int chain = 0; chain < n / 10; chain++) {
      String c = "c" + chain + "_";
      p.source(c + "Events", "events")
          .filter(c + "Big", c + "Events", "amount > 10")
          .reformat(c + "Shaped", c + "Big", r -> r.column("id", "id").column("kind", "upper(kind)")
              .column("amount", "amount * 1.1"));
      if (previous == null) {
        p.select(c + "Joined", c + "Shaped", "id", "kind", "amount");
      } else {
        p.join(c + "Joined", List.of(c + "Shaped", previous), j -> j
            .on("in1", "in0.id = in1.id", GemSpec.JoinType.LEFT_OUTER).columns("in0.id", "in0.kind", "in0.amount"));
      }
      p.aggregate(c + "Totals", c + "Joined", a -> a.groupBy("id", "kind").agg("amount", "sum(amount)"))
          .orderBy(c + "Sorted", c + "Totals", o -> o.desc("amount"))
          .deduplicate(c + "Unique", c + "Sorted", GemSpec.DedupType.ANY, "id")
          .window(c + "Ranked", c + "Unique", w -> w.partitionBy("kind").orderBy(o -> o.desc("amount"))
              .column("rank", "row_number()"))
          .schemaTransform(c + "Tidy", c + "Ranked", s -> s.drop("rank").rename("amount", "total"))
          .limit(c + "Top", c + "Tidy", 100);
      previous = c + "Top";
    }
    return p.build();
  }

  @Benchmark
  public int validate() {
    return graph.validate(datasets).size();
  }

  @Benchmark
  public int compileSparkSql() {
    return SparkSqlCompiler.steps(graph, datasets, Map.of(), Map.of()).size();
  }

  @Benchmark
  public int validateAndCompile() {
    List<Diagnostic> d = graph.validate(datasets);
    return d.size() + SparkSqlCompiler.steps(graph, datasets, Map.of(), Map.of()).size();
  }

  /**
   * The work of {@link #validateAndCompile} at this size, over ten graphs of a tenth of the gems. Every
   * pass over a graph is linear in its gems, so this takes as long as one graph of all the gems unless the
   * size of a graph itself costs; against {@link #validateAndCompile} at a tenth of the size it shows what
   * ten times the memory touched per operation costs (the caches), with no graph larger.
   */
  @Benchmark
  public int validateAndCompileTenGraphs() {
    int n = 0;
    for (PipelineGraph g : tenths) {
      n += g.validate(datasets).size() + SparkSqlCompiler.steps(g, datasets, Map.of(), Map.of()).size();
    }
    return n;
  }

  /**
   * A yardstick, linear by construction: one pass over the graph that reads what each gem holds (its
   * name's last character, its ports, and its spec's records, lists and expressions through their
   * {@code hashCode}, which strings keep) and does nothing else. Its growth from 1,000 to 10,000 gems is
   * what reading ten times the memory costs here, with no work that could grow faster.
   */
  @Benchmark
  public int readEveryGem() {
    return readEveryGem(graph);
  }

  private static int readEveryGem(PipelineGraph graph) {
    int h = 0;
    for (Gem g : graph.gems()) {
      String name = g.name();
      h = 31 * h + name.charAt(name.length() - 1) + g.spec().hashCode() + g.inputs().hashCode()
          + g.outputs().hashCode();
    }
    return h;
  }

  /** {@link #readEveryGem} after other work ({@link OtherWork}). */
  @Benchmark
  public int readEveryGemAfterOtherWork(OtherWork other) {
    return readEveryGem();
  }

  /**
   * A graph keeps its dependency order and each gem's inputs once worked out; the benchmarks above reuse
   * one graph, as the SDK does for a pipeline's validate, compile and code generation. This one gives
   * every invocation a graph never used before (an equal copy read back from its workflow JSON, made
   * outside the measured time), so it includes working those out. Making the copy leaves about 15 KB of
   * garbage per gem; the setup collects it ({@code System.gc()}) so that its collection does not fall
   * into the measured operation, as it did before 2026-12-03 (third session).
   */
  @State(Scope.Thread)
  public static class Fresh {
    PipelineGraph copy;

    @Setup(Level.Invocation)
    public void copy(CompileBenchmark b) {
      copy = PipelineGraph.fromWorkflow(b.graph.name(), b.graph.toWorkflow());
      System.gc();
    }
  }

  @Benchmark
  public int validateAndCompileFirstUse(Fresh fresh) {
    List<Diagnostic> d = fresh.copy.validate(datasets);
    return d.size() + SparkSqlCompiler.steps(fresh.copy, datasets, Map.of(), Map.of()).size();
  }

  /** {@link #readEveryGem} on a graph never used before ({@link Fresh}): the yardstick for {@link #validateAndCompileFirstUse}. */
  @Benchmark
  public int readEveryGemFirstUse(Fresh fresh) {
    return readEveryGem(fresh.copy);
  }

  /**
   * Other work of the thread between two compiles, as a host application does: before every invocation
   * (outside the measured time) it writes one byte in every 64-byte line of a buffer of {@code otherWorkMiB}
   * MiB. 8 MiB is four times the largest per-core L2 of the machines measured (2 MiB), so a graph is no longer in the core's
   * own caches when its compile starts, at 1,000 gems as at 10,000; 64 MiB evicts more of the shared L3 too.
   */
  @State(Scope.Thread)
  public static class OtherWork {
    @Param({"8", "64"})
    public int otherWorkMiB;
    private byte[] buffer;
    /** What the writes read back, kept so that they cannot be left out. */
    public int sink;

    @Setup(Level.Trial)
    public void allocate() {
      buffer = new byte[otherWorkMiB << 20];
    }

    @Setup(Level.Invocation)
    public void touch() {
      byte[] b = buffer;
      int x = sink;
      for (int i = 0; i < b.length; i += 64) {
        b[i] = (byte) (b[i] + 1);
        x += b[i];
      }
      sink = x;
    }
  }

  /**
   * {@link #validateAndCompile} after other work ({@link OtherWork}). Repeated back to back, a
   * 1,000-gem graph (about 1.7 MB) stays in a 2 MiB L2 from one invocation to the next and a 10,000-gem
   * one (17 MB) cannot, so the two sizes there differ in where their data comes from as well as in its
   * amount; here both start with the graph outside the core's own L1 and L2.
   */
  @Benchmark
  public int validateAndCompileAfterOtherWork(OtherWork other) {
    List<Diagnostic> d = graph.validate(datasets);
    return d.size() + SparkSqlCompiler.steps(graph, datasets, Map.of(), Map.of()).size();
  }
}

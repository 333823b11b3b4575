package io.prophecy.sdk.benchmarks;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.codegen.SparkSqlCompiler.GemSql;
import io.prophecy.sdk.internal.PlanCache;
import io.prophecy.sdk.internal.cache.EncryptedCodeCache;
import io.prophecy.sdk.internal.security.Tink;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.pipeline.WorkflowWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the code cache saves an interactive run of the compile benchmark's pipeline of {@code gems} gems.
 * Without the cache (and on a miss) a run reads its workflow file's text as a graph and compiles it
 * ({@code readAndCompile}: {@link WorkflowWriter#readTree} and {@link PipelineGraph#fromWorkflow}, then
 * {@link SparkSqlCompiler#steps}); on a hit it only computes the key from the text, the datasets and the
 * configuration, reads and decrypts the entry and decodes it ({@code cacheHit}: {@link PlanCache#plan}, which
 * then never reads the graph). {@code readGraph}, {@code compile} and {@code keyOnly} are the parts. Reading the
 * text from disk and listing the datasets, which both do, are not measured. A miss costs
 * {@code readAndCompile} plus writing the entry.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PlanCacheBenchmark {
  @Param({"1000", "10000"})
  public int gems;

  private Path folder;
  private EncryptedCodeCache cache;
  private PipelineGraph graph;
  private DatasetLookup lookup;
  private List<DatasetSpec> datasets;
  private String workflow;
  private PlanCache.Inputs inputs;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    folder = Files.createTempDirectory("prophecy-plan-bench");
    StreamingAead aead = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB,
        Tink.streamingAead()).getPrimitive(Tink.streamingAead(), StreamingAead.class);
    cache = new EncryptedCodeCache(folder.resolve("cache"), aead, Clock.systemUTC(), 1L << 40, Duration.ofDays(7));
    DatasetSpec events = DatasetSpec.builder().name("events").format("parquet").path("/data/events")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("kind", "string"),
            DatasetSpec.Column.of("amount", "double"))
        .build();
    datasets = List.of(events);
    lookup = id -> Optional.of(events);
    workflow = WorkflowWriter.write(CompileBenchmark.pipeline(gems));
    graph = readGraph();
    inputs = new PlanCache.Inputs("bench", "large", workflow, Optional.empty(), Map.of(), datasets);
    List<GemSql> compiled = readAndCompile();
    List<GemSql> first = PlanCache.plan(cache, inputs, () -> graph, (c, v) -> lookup).steps();
    List<GemSql> hit = cacheHit();
    if (cache.stats().hits() != 1 || !hit.equals(compiled) || !first.equals(compiled)) {
      throw new IllegalStateException("the cache did not give the compiled steps back: " + cache.stats());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public List<GemSql> readAndCompile() throws IOException {
    PipelineGraph g = readGraph();
    Map<String, String> config = g.configuration().values(Optional.empty(), Map.of());
    return SparkSqlCompiler.steps(g, lookup, config, Map.of());
  }

  @Benchmark
  public List<GemSql> cacheHit() {
    return PlanCache.plan(cache, inputs, () -> {
      throw new IllegalStateException("a hit reads no graph");
    }, (c, v) -> lookup).steps();
  }

  @Benchmark
  public PipelineGraph readGraph() throws IOException {
    return PipelineGraph.fromWorkflow("large", WorkflowWriter.readTree(workflow));
  }

  @Benchmark
  public int compile() {
    return SparkSqlCompiler.steps(graph, lookup, Map.of(), Map.of()).size();
  }

  @Benchmark
  public Object keyOnly() {
    return PlanCache.key(inputs).orElseThrow();
  }
}

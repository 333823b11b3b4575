package io.prophecy.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.codegen.SparkSqlCompiler.GemSql;
import io.prophecy.sdk.internal.cache.CacheKey;
import io.prophecy.sdk.internal.cache.EncryptedCodeCache;
import io.prophecy.sdk.internal.security.Tink;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.pipeline.WorkflowWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run steps through the real encrypted cache: the same steps as compiling, keyed by every input that shapes them. */
class PlanCacheTest {
  @TempDir Path home;
  EncryptedCodeCache cache;

  static final DatasetSpec EVENTS = DatasetSpec.builder().name("events").format("parquet").path("/data/events")
      .putOptions("mergeSchema", "true")
      .addSchema(Column.of("id", "long"), Column.of("kind", "string"), Column.of("amount", "double")).build();
  static final DatasetSpec OUT = DatasetSpec.builder().name("out").format("parquet").path("/data/out").build();

  @BeforeEach
  void open() throws Exception {
    StreamingAead aead = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB,
        Tink.streamingAead()).getPrimitive(Tink.streamingAead(), StreamingAead.class);
    cache = new EncryptedCodeCache(home.resolve("cache/code"), aead, Clock.systemUTC(), 256L << 20, Duration.ofDays(7));
  }

  /** {@code chains} chains of ten gems (every compiler path of the benchmarks' pipeline), ending in a Target. */
  static PipelineGraph pipeline(int chains, String condition) {
    PipelineBuilder p = PipelineGraph.builder("large");
    p.config("min_amount", "double", "10");
    String previous = null;
    for (int chain = 0; chain < chains; chain++) {
      String c = "c" + chain + "_";
      p.source(c + "Events", "events")
          .filter(c + "Big", c + "Events", condition)
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
    p.target("Out", previous, "out");
    return p.build();
  }

  /** The workflow file's text of a graph, and the graph read back from it, as a run reads them. */
  record Read(PipelineGraph graph, String text) {}

  static Read read(PipelineGraph built) {
    String text = WorkflowWriter.write(built);
    try {
      return new Read(PipelineGraph.fromWorkflow(built.name(), WorkflowWriter.readTree(text)), text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Optional<CacheKey> key(String version, PipelineGraph g, List<DatasetSpec> ds, Map<String, String> overrides) {
    return PlanCache.key(new PlanCache.Inputs(version, g.name(), WorkflowWriter.write(g), Optional.empty(), overrides, ds));
  }

  /** A run's steps through the cache, as RunImpl asks for them; counts how often the graph had to be read. */
  List<GemSql> steps(EncryptedCodeCache cache, PipelineGraph built, DatasetLookup lookup, List<DatasetSpec> ds,
      Map<String, String> overrides) {
    Read r = read(built);
    PlanCache.Inputs in = new PlanCache.Inputs("1.0", built.name(), r.text(), Optional.empty(), overrides, ds);
    return PlanCache.plan(cache, in, () -> {
      graphReads++;
      return r.graph();
    }, (configuration, values) -> lookup).steps();
  }

  int graphReads;

  static DatasetLookup lookup(DatasetSpec... ds) {
    return id -> java.util.Arrays.stream(ds).filter(d -> d.name().equals(DatasetLookup.nameOf(id))).findFirst();
  }

  static Map<String, String> config(PipelineGraph g) {
    return g.configuration().values(Optional.empty(), Map.of());
  }

  @Test
  void aHitGivesExactlyTheStepsCompilingGives() {
    PipelineGraph g = pipeline(30, "amount > '$min_amount'");
    List<GemSql> compiled = SparkSqlCompiler.steps(g, lookup(EVENTS, OUT), config(g), Map.of());
    assertThat(compiled).hasSize(301);
    List<GemSql> first = steps(cache, g, lookup(EVENTS, OUT), List.of(EVENTS, OUT), config(g));
    assertThat(cache.stats().misses()).isEqualTo(1);
    assertThat(cache.stats().puts()).isEqualTo(1);
    List<GemSql> second = steps(cache, g, lookup(EVENTS, OUT), List.of(EVENTS, OUT), config(g));
    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(graphReads).isEqualTo(1); // a hit does not read the workflow as a graph
    assertThat(first).isEqualTo(compiled);
    assertThat(second).isEqualTo(compiled);
    assertThat(second).filteredOn(s -> s.gem().equals("c0_Big")).singleElement()
        .satisfies(s -> assertThat(s.sql()).contains("amount > 10"));
  }

  @Test
  void everyInputThatShapesTheStepsChangesTheKey() {
    PipelineGraph g = pipeline(2, "amount > '$min_amount'");
    List<DatasetSpec> ds = List.of(EVENTS, OUT);
    CacheKey base = key("1.0", g, ds, config(g)).orElseThrow();
    assertThat(key("1.0", pipeline(2, "amount > '$min_amount'"), ds, config(g))).hasValue(base);
    assertThat(key("1.0", g, List.of(OUT, EVENTS), config(g))).hasValue(base); // order of listing
    assertThat(key("1.1", g, ds, config(g))).get().isNotEqualTo(base);                      // generator version
    assertThat(key("1.0", pipeline(2, "amount >= '$min_amount'"), ds, config(g))).get().isNotEqualTo(base);
    assertThat(key("1.0", pipeline(3, "amount > '$min_amount'"), ds, config(g))).get().isNotEqualTo(base);
    assertThat(key("1.0", g, ds, Map.of("min_amount", "11"))).get().isNotEqualTo(base);    // an override
    assertThat(PlanCache.key(new PlanCache.Inputs("1.0", g.name(), WorkflowWriter.write(g), Optional.of("prod"),
        config(g), ds))).get().isNotEqualTo(base);                                            // an instance
    DatasetSpec wider = DatasetSpec.builder().from(EVENTS).addSchema(Column.of("extra", "string")).build();
    assertThat(key("1.0", g, List.of(wider, OUT), config(g))).get().isNotEqualTo(base);    // schema
    DatasetSpec retyped = DatasetSpec.builder().from(EVENTS).schema(List.of(Column.of("id", "string"),
        Column.of("kind", "string"), Column.of("amount", "double"))).build();
    assertThat(key("1.0", g, List.of(retyped, OUT), config(g))).get().isNotEqualTo(base);
    DatasetSpec csv = DatasetSpec.builder().from(EVENTS).format("csv").build();
    assertThat(key("1.0", g, List.of(csv, OUT), config(g))).get().isNotEqualTo(base);       // format
    assertThat(key("1.0", g, List.of(OUT), config(g))).get().isNotEqualTo(base);            // a dataset gone
  }

  @Test
  void aChangedPathOrPasswordIsTakenFreshFromTheProjectAndNeverEntersTheCache() throws Exception {
    PipelineGraph g = pipeline(2, "amount > '$min_amount'");
    DatasetSpec withSecret = DatasetSpec.builder().from(EVENTS).path("s3a://bucket/events")
        .putOptions("password", "hunter2-Pa55").putOptions("fs.s3a.secret.key", "AKIA-SECRET-42")
        .build();
    steps(cache, g, lookup(withSecret, OUT), List.of(withSecret, OUT), config(g));
    DatasetSpec moved = DatasetSpec.builder().from(EVENTS).path("s3a://other/events")
        .putOptions("password", "new-Pa55-word").putOptions("fs.s3a.secret.key", "AKIA-SECRET-43").build();
    List<GemSql> hit = steps(cache, g, lookup(moved, OUT), List.of(moved, OUT), config(g));
    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(hit).filteredOn(s -> s.gem().equals("c0_Events")).singleElement()
        .satisfies(s -> assertThat(s.dataset()).hasValue(moved));
    assertThat(hit).isEqualTo(SparkSqlCompiler.steps(g, lookup(moved, OUT), config(g), Map.of()));

    // the decrypted entry names datasets; it holds no path, option or secret of theirs
    byte[] entry = cache.get(key("1.0", g, List.of(moved, OUT), config(g)).orElseThrow()).orElseThrow();
    assertThat(PlanCache.decode(entry, (c, v) -> lookup(moved, OUT))).hasValueSatisfying(e -> {
      assertThat(e.config()).containsEntry("min_amount", "10");
      assertThat(e.configuration().fields()).extracting(f -> f.name() + ":" + f.type()).containsExactly("min_amount:double");
    });
    String text = new String(entry, StandardCharsets.UTF_8);
    assertThat(text).contains("c0_Events", "`c0_Events`", "events");
    assertThat(text).doesNotContain("hunter2", "Pa55", "AKIA", "s3a://", "/data/", "mergeSchema");
    // and neither does any file of the cache folder, read raw
    try (var files = Files.list(home.resolve("cache/code"))) {
      for (Path f : files.toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
            .doesNotContain("hunter2", "Pa55", "AKIA", "c0_Events");
      }
    }
  }

  @Test
  void aHitSubstitutesConfigurationValuesIntoDatasetPathsAsCompilingDoes() {
    DatasetSpec regional = DatasetSpec.builder().from(EVENTS).path("/data/${region}/events").build();
    PipelineGraph g = PipelineGraph.of("regional", p -> p.config("region", "string", "eu")
        .source("Events", "events").filter("Big", "Events", "amount > 1").target("Out", "Big", "out"));
    Read r = read(g);
    java.util.function.BiFunction<io.prophecy.sdk.pipeline.Configuration, Map<String, String>, DatasetLookup> lookups =
        (configuration, values) -> RunImpl.resolvedLookup(lookup(regional, OUT), home, Map.of(), configuration, values);
    for (String region : List.of("eu", "eu", "us", "us")) {
      Map<String, String> overrides = region.equals("eu") ? Map.of() : Map.of("region", region);
      PlanCache.Entry e = PlanCache.plan(cache, new PlanCache.Inputs("1.0", "regional", r.text(), Optional.empty(),
          overrides, List.of(regional, OUT)), r::graph, lookups);
      assertThat(e.steps()).filteredOn(s -> s.gem().equals("Events")).singleElement()
          .satisfies(s -> assertThat(s.dataset().orElseThrow().path()).hasValue("/data/" + region + "/events"));
      assertThat(e.config()).containsEntry("region", region);
    }
    assertThat(cache.stats().hits()).isEqualTo(2);
    assertThat(cache.stats().puts()).isEqualTo(2);
  }

  @Test
  void aPlanWhoseConfigurationHoldsASecretIsNeverCached() {
    PipelineGraph g = PipelineGraph.of("secretive", p -> p
        .config("db_password", "string", "")
        .source("Events", "events")
        .filter("Mine", "Events", "kind = '$db_password'")
        .target("Out", "Mine", "out"));
    Map<String, String> overrides = Map.of("db_password", "s3cr3t-Value");
    // a secret override: no key at all, so not even its hash is a file name
    assertThat(key("1.0", g, List.of(EVENTS, OUT), overrides)).isEmpty();
    assertThat(key("1.0", g, List.of(EVENTS, OUT), Map.of("url", "jdbc:x://h/db?password=s3cr3t"))).isEmpty();
    List<GemSql> steps = steps(cache, g, lookup(EVENTS, OUT), List.of(EVENTS, OUT), overrides);
    // the engine gets it, the cache does not
    assertThat(steps).filteredOn(s -> s.gem().equals("Mine")).singleElement()
        .satisfies(s -> assertThat(s.sql()).contains("s3cr3t-Value"));
    assertThat(cache.stats().puts()).isZero();
    // a secret value from the workflow's own default: compiled with it, and not kept
    PipelineGraph defaulted = PipelineGraph.of("defaulted", p -> p
        .config("api_token", "string", "tok-From-Default")
        .source("Events", "events")
        .filter("Mine", "Events", "kind = '$api_token'")
        .target("Out", "Mine", "out"));
    assertThat(key("1.0", defaulted, List.of(EVENTS, OUT), Map.of())).isPresent();
    assertThat(steps(cache, defaulted, lookup(EVENTS, OUT), List.of(EVENTS, OUT), Map.of()))
        .filteredOn(s -> s.gem().equals("Mine")).singleElement()
        .satisfies(s -> assertThat(s.sql()).contains("tok-From-Default"));
    assertThat(cache.stats().puts()).isZero();
    assertThat(home.resolve("cache/code")).doesNotExist();
  }

  @Test
  void bytesThatAreNotAnEntryOrNameAGoneDatasetDecodeToNothing() {
    PipelineGraph g = pipeline(1, "amount > '$min_amount'");
    Map<String, String> config = config(g);
    List<GemSql> steps = SparkSqlCompiler.steps(g, lookup(EVENTS, OUT), config, Map.of());
    byte[] entry = PlanCache.encode(g.configuration(), config, steps);
    assertThat(PlanCache.decode(entry, (c, v) -> lookup(EVENTS, OUT))).hasValueSatisfying(e -> {
      assertThat(e.steps()).isEqualTo(steps);
      assertThat(e.config()).isEqualTo(config);
    });
    assertThat(PlanCache.decode(entry, (c, v) -> lookup(OUT))).isEmpty();
    assertThat(PlanCache.decode(java.util.Arrays.copyOf(entry, entry.length - 3), (c, v) -> lookup(EVENTS, OUT))).isEmpty();
    byte[] longer = java.util.Arrays.copyOf(entry, entry.length + 1);
    assertThat(PlanCache.decode(longer, (c, v) -> lookup(EVENTS, OUT))).isEmpty();
    assertThat(PlanCache.decode("SELECT 1".getBytes(StandardCharsets.UTF_8), (c, v) -> lookup(EVENTS, OUT))).isEmpty();
    assertThat(PlanCache.decode(new byte[0], (c, v) -> lookup(EVENTS, OUT))).isEmpty();
  }
}

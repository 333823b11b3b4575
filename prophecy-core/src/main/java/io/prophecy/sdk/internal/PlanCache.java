package io.prophecy.sdk.internal;

import io.prophecy.sdk.codegen.ProjectCode;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.codegen.SparkSqlCompiler.GemSql;
import io.prophecy.sdk.internal.cache.CacheKey;
import io.prophecy.sdk.internal.cache.CodeCache;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.Configuration;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.spi.PipelinePlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The compiled steps of a pipeline for an interactive run, through the code cache.
 *
 * <p>The key is the SHA-256 of everything the steps are made from: the SDK's version, the pipeline's
 * name and the text of its workflow file (its gems, connections and configuration schema and instances:
 * the graph is a function of name and text), the run's configuration instance and overrides, and of every
 * dataset of the project as the fabric sees it the name, format, table and schema. On a hit the workflow
 * is not even read as a graph: the entry holds the steps, the configuration values they were compiled with
 * and the configuration's field names and types (which dataset paths are substituted with).
 *
 * <p>Dataset paths and options are not in the key because the steps' SQL does not read them: an entry
 * names each step's dataset, and a hit takes the dataset itself, with its current path and options, from
 * the project. So neither a path nor a password is ever in the cache, and changing one never meets a
 * stale entry. Nothing is cached when a configuration value holds a secret (a field named like a password
 * or token, or a value with credentials in it), because Spark SQL inlines configuration values.
 */
public final class PlanCache {
  /** The version of the entry's binary form; part of the key. */
  static final int FORMAT = 2;
  private static final int MAGIC = 0x50524f50; // "PROP"

  private PlanCache() {}

  /**
   * What a run's steps are made from.
   *
   * @param version the SDK's version
   * @param pipeline the pipeline's name
   * @param workflow the text of its workflow file
   * @param instance the configuration instance the run names, if any
   * @param overrides the run's configuration overrides
   * @param datasets the project's datasets as the fabric sees them (before paths are mapped)
   */
  public record Inputs(String version, String pipeline, String workflow, Optional<String> instance,
      Map<String, String> overrides, Collection<DatasetSpec> datasets) {}

  /**
   * A run's plan before sampling is chosen.
   *
   * @param configuration the configuration's fields (names and types; on a hit no instances)
   * @param config the configuration values the steps were compiled with
   * @param steps the steps
   */
  public record Entry(Configuration configuration, Map<String, String> config, List<GemSql> steps) {}

  /**
   * The steps for these inputs, from the cache when it holds them, else read, compiled and then kept.
   *
   * @param graph reads {@code inputs.workflow()} as the pipeline's graph; only called on a miss
   * @param lookup the lookup the steps take their datasets from, for a configuration and its values
   * @throws IllegalArgumentException when the run names a configuration instance or field that does not exist
   */
  public static Entry plan(CodeCache cache, Inputs inputs, Supplier<PipelineGraph> graph,
      BiFunction<Configuration, Map<String, String>, DatasetLookup> lookup) {
    Optional<CacheKey> key = key(inputs);
    if (key.isPresent()) {
      Optional<Entry> cached = cache.get(key.get()).flatMap(bytes -> decode(bytes, lookup));
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    PipelineGraph g = graph.get();
    Map<String, String> config = g.configuration().values(inputs.instance(), inputs.overrides());
    List<GemSql> steps = SparkSqlCompiler.steps(g, lookup.apply(g.configuration(), config), config, Map.of());
    if (key.isPresent() && config.entrySet().stream().noneMatch(e -> ProjectCode.holdsSecret(e.getKey(), e.getValue()))) {
      cache.put(key.get(), encode(g.configuration(), config, steps));
    }
    return new Entry(g.configuration(), config, steps);
  }

  /** The key of these inputs; empty when they must not be cached (an override holds a secret). */
  public static Optional<CacheKey> key(Inputs in) {
    for (var e : in.overrides().entrySet()) {
      if (ProjectCode.holdsSecret(e.getKey(), e.getValue())) {
        return Optional.empty();
      }
    }
    CacheKey.Builder k = CacheKey.of("run-steps", FORMAT).add(in.version()).add(in.pipeline()).add(in.workflow());
    k.add(in.instance().map(i -> "instance:" + i).orElse("no instance"));
    k.add(in.overrides());
    Map<String, DatasetSpec> byName = new TreeMap<>();
    in.datasets().forEach(d -> byName.put(d.name(), d));
    k.add(Integer.toString(byName.size()));
    for (DatasetSpec d : byName.values()) {
      k.add(d.name()).add(d.format()).add(d.table().orElse("\u0000"));
      k.add(Integer.toString(d.schema().size()));
      for (DatasetSpec.Column c : d.schema()) {
        k.add(c.name()).add(c.type());
      }
    }
    return Optional.of(k.build());
  }

  /** The entry's bytes: the configuration's field names and types, its values, the steps with their datasets named only. */
  public static byte[] encode(Configuration configuration, Map<String, String> config, List<GemSql> steps) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * steps.size() + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeInt(configuration.fields().size());
      for (Configuration.Field f : configuration.fields()) {
        text(out, f.name());
        text(out, f.type());
      }
      out.writeInt(config.size());
      for (var e : config.entrySet()) {
        text(out, e.getKey());
        text(out, e.getValue());
      }
      out.writeInt(steps.size());
      for (GemSql s : steps) {
        text(out, s.gem());
        text(out, s.component());
        text(out, s.view());
        out.writeByte(s.kind().ordinal());
        text(out, s.sql());
        out.writeInt(s.inputs().size());
        for (String i : s.inputs()) {
          text(out, i);
        }
        out.writeInt(s.probes().size());
        for (PipelinePlan.Probe p : s.probes()) {
          text(out, p.field());
          text(out, p.sql());
        }
        out.writeBoolean(s.dataset().isPresent());
        if (s.dataset().isPresent()) {
          text(out, s.dataset().get().name());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * The entry, its steps' datasets taken from the lookup made for its configuration; empty when the bytes
   * are not an entry of this format or name a dataset the lookup does not know.
   */
  public static Optional<Entry> decode(byte[] bytes, BiFunction<Configuration, Map<String, String>, DatasetLookup> lookups) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        return Optional.empty();
      }
      int nf = count(in, bytes.length);
      List<Configuration.Field> fields = new ArrayList<>(nf);
      for (int i = 0; i < nf; i++) {
        fields.add(new Configuration.Field(text(in), text(in), Optional.empty()));
      }
      Configuration configuration = Configuration.of(fields, Map.of(), "default");
      int nc = count(in, bytes.length);
      Map<String, String> config = new LinkedHashMap<>();
      for (int i = 0; i < nc; i++) {
        config.put(text(in), text(in));
      }
      DatasetLookup lookup = lookups.apply(configuration, config);
      int n = count(in, bytes.length);
      PipelinePlan.Kind[] kinds = PipelinePlan.Kind.values();
      List<GemSql> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String gem = text(in);
        String component = text(in);
        String view = text(in);
        int kind = in.readUnsignedByte();
        if (kind >= kinds.length) {
          return Optional.empty();
        }
        String sql = text(in);
        int ni = count(in, bytes.length);
        List<String> inputs = new ArrayList<>(ni);
        for (int j = 0; j < ni; j++) {
          inputs.add(text(in));
        }
        int np = count(in, bytes.length);
        List<PipelinePlan.Probe> probes = new ArrayList<>(np);
        for (int j = 0; j < np; j++) {
          probes.add(new PipelinePlan.Probe(text(in), text(in)));
        }
        Optional<DatasetSpec> dataset = Optional.empty();
        if (in.readBoolean()) {
          dataset = lookup.find(text(in));
          if (dataset.isEmpty()) {
            return Optional.empty();
          }
        }
        out.add(new GemSql(gem, component, view, kinds[kind], sql, List.copyOf(inputs), List.copyOf(probes), dataset));
      }
      if (in.read() != -1) {
        return Optional.empty();
      }
      return Optional.of(new Entry(configuration, java.util.Collections.unmodifiableMap(config), List.copyOf(out)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not an entry of this format: compile again
    }
  }

  private static int count(DataInputStream in, int limit) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > limit) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String text(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}

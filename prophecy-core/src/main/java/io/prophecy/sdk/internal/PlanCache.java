package io.prophecy.sdk.internal;

import io.prophecy.sdk.codegen.ProjectCode;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.codegen.SparkSqlCompiler.GemSql;
import io.prophecy.sdk.internal.cache.CacheKey;
import io.prophecy.sdk.internal.cache.CodeCache;
import io.prophecy.sdk.model.DatasetSpec;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The compiled steps of a pipeline for interactive runs, through the code cache.
 *
 * <p>The key is the SHA-256 of everything the steps are made from: the SDK's version, the pipeline's
 * name and the text of its workflow file (from which its gems, connections and configuration are read:
 * the graph is a function of name and text), the configuration values
 * of the run, and of every dataset of the project as the fabric sees it the name, format, table and
 * schema. Dataset paths and options are not in the key because the steps' SQL does not read them: a
 * cached entry names each step's dataset, and a hit takes the dataset itself, with its current path and
 * options, from the project. So neither a path nor a password is ever in the cache, and changing one
 * never meets a stale entry.
 *
 * <p>Nothing is cached when a configuration value holds a secret (a field named like a password or
 * token, or a value with credentials in it), because Spark SQL inlines configuration values.
 */
public final class PlanCache {
  /** The version of the entry's binary form; part of the key. */
  static final int FORMAT = 1;
  private static final int MAGIC = 0x50524f50; // "PROP"

  private PlanCache() {}

  /**
   * The steps {@link SparkSqlCompiler#steps} gives for these inputs, from the cache when it holds them,
   * else compiled and then kept.
   *
   * @param graph the graph read from {@code workflow}
   * @param workflow the text of the workflow file the graph was read from
   * @param datasets the project's datasets as the fabric sees them (before paths are mapped)
   * @param lookup the lookup the steps take their datasets from
   */
  public static List<GemSql> steps(CodeCache cache, String version, PipelineGraph graph, String workflow,
      DatasetLookup lookup, Collection<DatasetSpec> datasets, Map<String, String> config) {
    Optional<CacheKey> key = key(version, graph.name(), workflow, datasets, config);
    if (key.isPresent()) {
      Optional<List<GemSql>> cached = cache.get(key.get()).flatMap(bytes -> decode(bytes, lookup));
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    List<GemSql> steps = SparkSqlCompiler.steps(graph, lookup, config, Map.of());
    key.ifPresent(k -> cache.put(k, encode(steps)));
    return steps;
  }

  /** The key of these inputs; empty when they must not be cached (a configuration value holds a secret). */
  public static Optional<CacheKey> key(String version, String pipeline, String workflow,
      Collection<DatasetSpec> datasets, Map<String, String> config) {
    for (var e : config.entrySet()) {
      if (ProjectCode.holdsSecret(e.getKey(), e.getValue())) {
        return Optional.empty();
      }
    }
    CacheKey.Builder k = CacheKey.of("run-steps", FORMAT).add(version).add(pipeline).add(workflow);
    k.add(config);
    Map<String, DatasetSpec> byName = new TreeMap<>();
    datasets.forEach(d -> byName.put(d.name(), d));
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

  /** The steps without their datasets, which are named only. */
  public static byte[] encode(List<GemSql> steps) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * steps.size() + 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
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

  /** The steps, their datasets taken from the lookup; empty when the bytes are not an entry or a dataset is gone. */
  public static Optional<List<GemSql>> decode(byte[] bytes, DatasetLookup lookup) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        return Optional.empty();
      }
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
      return in.read() == -1 ? Optional.of(List.copyOf(out)) : Optional.empty();
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
    byte[] b = in.readNBytes(n);
    return new String(b, StandardCharsets.UTF_8);
  }
}

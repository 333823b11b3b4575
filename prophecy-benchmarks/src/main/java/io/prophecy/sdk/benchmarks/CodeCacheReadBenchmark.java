package io.prophecy.sdk.benchmarks;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.internal.cache.CacheKey;
import io.prophecy.sdk.internal.cache.EncryptedCodeCache;
import io.prophecy.sdk.internal.security.Tink;
import io.prophecy.sdk.model.DatasetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
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
 * Reading {@code entries} cached entries of {@code size} bytes of generated Spark SQL through the encrypted
 * code cache ({@link EncryptedCodeCache#get}: open, Tink streaming AES-256-GCM-HKDF decryption of every 4 KiB
 * segment, marking the entry used) beside reading the same bytes from plain files
 * ({@link Files#readAllBytes}). Both read files the OS already holds in its page cache: the comparison is the
 * cost of the encryption and the cache's bookkeeping, not of the disk.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CodeCacheReadBenchmark {
  @Param({"4096", "65536", "1048576"})
  public int size;

  @Param({"16"})
  public int entries;

  private Path folder;
  private EncryptedCodeCache cache;
  private CacheKey[] keys;
  private Path[] plain;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    folder = Files.createTempDirectory("prophecy-cache-bench");
    StreamingAead aead = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB,
        Tink.streamingAead()).getPrimitive(Tink.streamingAead(), StreamingAead.class);
    cache = new EncryptedCodeCache(folder.resolve("cache"), aead, Clock.systemUTC(), 1L << 40, Duration.ofDays(7));
    Files.createDirectories(folder.resolve("plain"));
    byte[] code = generatedCode(size);
    keys = new CacheKey[entries];
    plain = new Path[entries];
    for (int i = 0; i < entries; i++) {
      byte[] content = code.clone();
      content[0] = (byte) ('A' + i % 26); // entries differ, as two pipelines' code does
      keys[i] = CacheKey.of("bench", 1).add(Integer.toString(i)).build();
      cache.put(keys[i], content);
      plain[i] = folder.resolve("plain").resolve(keys[i].hex());
      Files.write(plain[i], content);
      byte[] back = cache.get(keys[i]).orElseThrow(() -> new IllegalStateException("the cache kept no entry"));
      if (!Arrays.equals(back, Files.readAllBytes(plain[i]))) {
        throw new IllegalStateException("the cache gave other bytes than were put");
      }
    }
  }

  /** Generated Spark SQL (the compile benchmark's pipeline, as a script) repeated to {@code size} bytes. */
  static byte[] generatedCode(int size) {
    DatasetSpec events = DatasetSpec.builder().name("events").format("parquet").path("/data/events")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("kind", "string"),
            DatasetSpec.Column.of("amount", "double"))
        .build();
    byte[] script = SparkSqlCompiler.script(CompileBenchmark.pipeline(100), id -> Optional.of(events), java.util.Map.of())
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i += script.length) {
      System.arraycopy(script, 0, out, i, Math.min(script.length, size - i));
    }
    return out;
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
  public long encryptedCache() {
    long bytes = 0;
    for (CacheKey k : keys) {
      bytes += cache.get(k).orElseThrow().length;
    }
    return bytes;
  }

  @Benchmark
  public long plainFiles() throws IOException {
    long bytes = 0;
    for (Path p : plain) {
      bytes += Files.readAllBytes(p).length;
    }
    return bytes;
  }
}

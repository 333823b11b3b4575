package io.prophecy.sdk.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import io.prophecy.sdk.codegen.PySparkGenerator;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.internal.security.Tink;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encrypted code cache on real files with real Tink keys. */
class EncryptedCodeCacheTest {
  @TempDir Path home;
  Path dir;
  final TestClock clock = new TestClock();
  StreamingAead aead;

  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static StreamingAead newAead() throws GeneralSecurityException {
    return KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB, Tink.streamingAead())
        .getPrimitive(Tink.streamingAead(), StreamingAead.class);
  }

  @BeforeEach
  void setUp() throws Exception {
    dir = home.resolve("cache/code");
    aead = newAead();
  }

  EncryptedCodeCache cache(long maxBytes, Duration ttl) {
    return new EncryptedCodeCache(dir, aead, clock, maxBytes, ttl);
  }

  EncryptedCodeCache cache() {
    return cache(256L << 20, Duration.ofDays(7));
  }

  static CacheKey key(String s) {
    return CacheKey.of("test", 1).add(s).build();
  }

  /** The generated code of a small pipeline with names and expressions found nowhere else. */
  static Map<String, String> generatedCode() {
    DatasetSpec orders = DatasetSpec.builder().name("zanzibar_orders").format("csv").path("data/zanzibar.csv")
        .addSchema(Column.of("quokka_id", "long"), Column.of("amount", "double"), Column.of("status", "string")).build();
    DatasetSpec out = DatasetSpec.builder().name("zanzibar_totals").format("parquet").path("out/totals").build();
    DatasetLookup lookup = id -> Stream.of(orders, out).filter(d -> d.name().equals(DatasetLookup.nameOf(id))).findFirst();
    PipelineGraph graph = PipelineGraph.of("quokka_daily", p -> p
        .source("Zanzibar_Source", "zanzibar_orders")
        .filter("Only_Marmalade", "Zanzibar_Source", "status = 'MARMALADE' AND amount > 4242.5")
        .aggregate("Per_Quokka", "Only_Marmalade", a -> a.groupBy("quokka_id").agg("xylophone_total", "sum(amount)"))
        .target("Totals", "Per_Quokka", "zanzibar_totals"));
    Map<String, String> code = new LinkedHashMap<>(PySparkGenerator.generate(graph, lookup, "quokka_daily"));
    code.put("script.sql", SparkSqlCompiler.script(graph, lookup, Map.of()));
    return code;
  }

  static List<Path> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void anEntryComesBackAsItWasPutAndAnUnknownKeyIsAMiss() {
    EncryptedCodeCache cache = cache();
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 4095, 4096, 4097, 64 << 10, 1 << 20}) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      cache.put(key("size " + size), content);
      assertThat(cache.get(key("size " + size))).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
    }
    assertThat(cache.get(key("never put"))).isEmpty();
    assertThat(cache.stats()).isEqualTo(new CodeCache.Stats(7, 1, 7, 0, 0));
    // a second instance with the same keyset (another Prophecy on the same home) reads what the first wrote
    assertThat(new EncryptedCodeCache(dir, aead, clock, 1L << 30, Duration.ofDays(1)).get(key("size 4097")))
        .hasValueSatisfying(b -> assertThat(b).hasSize(4097));
  }

  @Test
  void noFileInTheCacheFolderHoldsAnyOfTheGeneratedCode() throws Exception {
    EncryptedCodeCache cache = cache();
    Map<String, String> code = generatedCode();
    assertThat(code.get("script.sql")).contains("Only_Marmalade", "4242.5", "zanzibar.csv");
    assertThat(code.get("quokka_daily/graph/Only_Marmalade.py")).contains("MARMALADE");
    for (var e : code.entrySet()) {
      cache.put(key(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
    }
    List<Path> files = files(dir);
    assertThat(files).hasSize(code.size());
    List<String> distinctive = List.of("Zanzibar", "zanzibar", "Marmalade", "MARMALADE", "4242.5", "quokka", "xylophone",
        "def ", "SELECT", "spark", "import");
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      assertThat(f.getFileName().toString()).matches("[0-9a-f]{64}");
      for (String s : distinctive) {
        assertThat(text).as("file %s", f).doesNotContain(s);
      }
      // nor any 12-byte run of any plaintext, sampled every 16 bytes
      for (String plain : code.values()) {
        byte[] p = plain.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 12 <= p.length; i += 16) {
          assertThat(indexOf(raw, Arrays.copyOfRange(p, i, i + 12))).as("file %s, plaintext at %d", f, i).isEqualTo(-1);
        }
      }
    }
    for (var e : code.entrySet()) {
      assertThat(cache.get(key(e.getKey()))).hasValueSatisfying(b ->
          assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(e.getValue()));
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void tamperedTruncatedRenamedAndForeignFilesAreMissesAndRemoved() throws Exception {
    EncryptedCodeCache cache = cache();
    byte[] content = new byte[10_000];
    new Random(1).nextBytes(content);
    for (String k : List.of("tampered", "truncated", "renamed", "kept")) {
      cache.put(key(k), content);
    }
    Path tampered = dir.resolve(key("tampered").hex());
    byte[] t = Files.readAllBytes(tampered);
    t[t.length / 2] ^= 0x01;
    Files.write(tampered, t);
    Path truncated = dir.resolve(key("truncated").hex());
    byte[] u = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(u, u.length - 100));
    // a sound file moved to another key's name: its associated data names its own key
    Files.move(dir.resolve(key("renamed").hex()), dir.resolve(key("renamed elsewhere").hex()));
    // a file made with another keyset, and plain bytes, under key names
    new EncryptedCodeCache(dir, newAead(), clock, 1L << 30, Duration.ofDays(1)).put(key("foreign key"), content);
    Files.write(dir.resolve(key("plain").hex()), "SELECT 1".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve(key("empty").hex()), new byte[0]);

    for (String k : List.of("tampered", "truncated", "renamed elsewhere", "foreign key", "plain", "empty")) {
      assertThat(cache.get(key(k))).as(k).isEmpty();
      assertThat(dir.resolve(key(k).hex())).as(k).doesNotExist();
    }
    assertThat(cache.get(key("renamed"))).isEmpty();
    assertThat(cache.get(key("kept"))).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
    assertThat(cache.stats().dropped()).isEqualTo(6);
    // a file that is no entry at all is removed by the sweep
    Files.writeString(dir.resolve("notes.txt"), "hello");
    cache.sweep();
    assertThat(files(dir)).containsExactly(dir.resolve(key("kept").hex()));
    // and the cache works on: the damaged entries are written again
    cache.put(key("tampered"), content);
    assertThat(cache.get(key("tampered"))).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
  }

  @Test
  void deletingTheCacheFolderAtAnyTimeOnlyCostsMisses() throws Exception {
    EncryptedCodeCache cache = cache();
    byte[] content = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
    cache.put(key("a"), content);
    deleteTree(home.resolve("cache"));
    assertThat(cache.get(key("a"))).isEmpty();
    assertThat(cache.sweep()).isZero();
    assertThat(cache.clear()).isZero();
    cache.put(key("a"), content);
    assertThat(cache.get(key("a"))).hasValue(content);
    assertThat(Files.isDirectory(dir)).isTrue();

    // deleted over and over while 4 threads put and get: never an exception, never a wrong entry
    ExecutorService pool = Executors.newFixedThreadPool(4);
    java.util.concurrent.atomic.AtomicInteger operations = new java.util.concurrent.atomic.AtomicInteger();
    try {
      List<Future<Integer>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        work.add(pool.submit(() -> {
          int hits = 0;
          for (int i = 0; i < 200; i++) {
            operations.incrementAndGet();
            String k = "k" + (i % 10);
            byte[] expected = (k + "-content-").repeat(100).getBytes(StandardCharsets.UTF_8);
            if ((i + id) % 2 == 0) {
              cache.put(key(k), expected);
            } else {
              Optional<byte[]> got = cache.get(key(k));
              if (got.isPresent()) {
                assertThat(got.get()).isEqualTo(expected);
                hits++;
              }
            }
          }
          return hits;
        }));
      }
      for (int i = 0; i < 30 && !work.stream().allMatch(Future::isDone); i++) {
        deleteTree(home.resolve("cache"));
        // the next deletion waits until the workers have done something with the cache since this one
        int seen = operations.get();
        while (operations.get() == seen && !work.stream().allMatch(Future::isDone)) {
          Thread.onSpinWait();
        }
      }
      for (Future<Integer> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    cache.put(key("b"), content);
    assertThat(cache.get(key("b"))).hasValue(content);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException raced) {
          // a writer added a file meanwhile; the next round gets it
        }
      }
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException raced) {
      // the walk met a file removed by the cache itself
    }
  }

  @Test
  void anEntryUnusedForLongerThanTheTimeToLiveIsGoneAndUseKeepsItAlive() throws Exception {
    EncryptedCodeCache cache = cache(1L << 30, Duration.ofDays(7));
    byte[] content = "plan".repeat(1000).getBytes(StandardCharsets.UTF_8);
    cache.put(key("used"), content);
    cache.put(key("unused"), content);
    clock.advance(Duration.ofDays(6));
    assertThat(cache.get(key("used"))).isPresent(); // counts as a use: its last use is now day 6
    Instant day6 = clock.now;
    assertThat(Files.getLastModifiedTime(dir.resolve(key("used").hex())).toInstant()).isEqualTo(day6);
    clock.advance(Duration.ofSeconds(30)); // within a minute of the last mark, a hit does not write it again
    assertThat(cache.get(key("used"))).isPresent();
    assertThat(Files.getLastModifiedTime(dir.resolve(key("used").hex())).toInstant()).isEqualTo(day6);
    clock.advance(Duration.ofDays(2)); // day 8
    assertThat(cache.get(key("used"))).isPresent();
    assertThat(cache.get(key("unused"))).isEmpty();
    assertThat(dir.resolve(key("unused").hex())).doesNotExist();

    // the sweep that follows a put removes expired entries that nobody asks for
    cache.put(key("other"), content);
    clock.advance(Duration.ofDays(8));
    cache.put(key("fresh"), content);
    assertThat(files(dir)).containsExactly(dir.resolve(key("fresh").hex()));
    assertThat(cache.stats().dropped()).isEqualTo(3);
  }

  @Test
  void overTheSizeCapTheEntriesUsedLongestAgoGoFirst() throws Exception {
    byte[] content = new byte[10_000];
    new Random(3).nextBytes(content);
    EncryptedCodeCache probe = cache();
    probe.put(key("probe"), content);
    long entry = Files.size(dir.resolve(key("probe").hex()));
    assertThat(entry).isBetween(10_000L, 10_200L); // header and a tag per 4 KiB segment
    probe.clear();

    EncryptedCodeCache cache = cache(entry * 5, Duration.ofDays(7));
    for (int i = 0; i < 5; i++) {
      cache.put(key("e" + i), content);
      clock.advance(Duration.ofMinutes(1)); // last uses are marked to the minute
    }
    assertThat(files(dir)).hasSize(5);
    assertThat(cache.get(key("e0"))).isPresent(); // e0 is now the one used last
    clock.advance(Duration.ofMinutes(1));
    cache.put(key("e5"), content); // 6 entries, over the cap: down to 90% of it, so 4 stay
    assertThat(files(dir)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
        key("e0").hex(), key("e3").hex(), key("e4").hex(), key("e5").hex());
    assertThat(cache.stats().evicted()).isEqualTo(2);
    long total = 0;
    for (Path f : files(dir)) {
      total += Files.size(f);
    }
    assertThat(total).isLessThanOrEqualTo(entry * 5);
    // an entry bigger than the whole cap is not kept at all
    cache.put(key("huge"), new byte[(int) entry * 6]);
    assertThat(cache.get(key("huge"))).isEmpty();
  }

  @Test
  void eightThreadsPuttingAndGettingOneSetOfKeysNeverSeeAWrongOrHalfEntry() throws Exception {
    EncryptedCodeCache cache = cache(2L << 20, Duration.ofDays(7)); // small enough that eviction runs meanwhile
    int keys = 40;
    Map<Integer, byte[]> contents = new LinkedHashMap<>();
    for (int k = 0; k < keys; k++) {
      byte[] c = new byte[1000 + k * 1500];
      new Random(k).nextBytes(c);
      contents.put(k, c);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<long[]>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        work.add(() -> {
          Random r = new Random(100 + id);
          long hits = 0;
          long misses = 0;
          for (int i = 0; i < 400; i++) {
            int k = r.nextInt(keys);
            Optional<byte[]> got = cache.get(key("k" + k));
            if (got.isPresent()) {
              assertThat(got.get()).isEqualTo(contents.get(k));
              hits++;
            } else {
              misses++;
              cache.put(key("k" + k), contents.get(k));
            }
          }
          return new long[] {hits, misses};
        });
      }
      long hits = 0;
      for (Future<long[]> f : pool.invokeAll(work, 120, TimeUnit.SECONDS)) {
        hits += f.get()[0];
      }
      assertThat(hits).isPositive();
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.stats().dropped()).isZero(); // no reader ever saw a half-written file
    assertThat(files(dir)).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("[0-9a-f]{64}"));
    long total = 0;
    for (Path f : files(dir)) {
      total += Files.size(f);
    }
    assertThat(total).isLessThanOrEqualTo(2L << 20);
  }

  @Test
  void aTemporaryFileLeftByACrashedWriterIsRemovedOnceStale() throws Exception {
    EncryptedCodeCache cache = cache();
    cache.put(key("a"), new byte[100]);
    Path left = dir.resolve("." + key("b").hex() + ".0000.tmp");
    Files.write(left, new byte[50]);
    Files.setLastModifiedTime(left, FileTime.from(clock.now));
    cache.sweep();
    assertThat(left).exists(); // it may still be being written
    clock.advance(Duration.ofHours(2));
    cache.sweep();
    assertThat(left).doesNotExist();
    assertThat(cache.get(key("b"))).isEmpty();
  }
}

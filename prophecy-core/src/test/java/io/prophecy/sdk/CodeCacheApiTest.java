package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.testing.TestFabricProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code cache as a user meets it: runs of an unchanged pipeline take their plan from
 * {@code <home>/cache/code}, the files there hold no plaintext and no secret, and removing or damaging
 * them changes nothing a run does. The test fabric cannot run pipelines, so each run is prepared (its
 * plan made or taken from the cache) and then fails saying so.
 */
class CodeCacheApiTest {
  @TempDir Path home;
  final TestFabricProvider provider = new TestFabricProvider();
  final TestClock clock = new TestClock();
  Prophecy prophecy;
  Project shop;
  Fabric dev;

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

  @BeforeEach
  void open() {
    prophecy = Prophecy.builder().home(home).register(provider).clock(clock).build();
    Team team = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics");
    shop = team.projects().create("shop");
    shop.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
        .putOptions("header", "true")
        .addSchema(Column.of("id", "long"), Column.of("customer_id", "long"), Column.of("amount", "double"),
            Column.of("status", "string"))
        .build());
    shop.datasets().create(DatasetSpec.builder().name("totals").format("parquet").path("out/totals").build());
    dev = team.fabrics().create(TenancyContract.testFabric("dev"));
    dev.credentials().set(TenancyContract.creds("alice@example.com", "t1"));
  }

  @AfterEach
  void close() {
    prophecy.close();
  }

  static Consumer<PipelineBuilder> daily(String status) {
    return p -> p.source("Orders_Source", "orders")
        .filter("Only_Paid_Ones", "Orders_Source", "status = '" + status + "' AND amount > 4242.5")
        .aggregate("Per_Customer_Total", "Only_Paid_Ones", a -> a.groupBy("customer_id").agg("grand_total", "sum(amount)"))
        .target("Totals", "Per_Customer_Total", "totals");
  }

  Path cacheDir() {
    return home.resolve("cache/code");
  }

  List<Path> entries() throws Exception {
    if (!Files.isDirectory(cacheDir())) {
      return List.of();
    }
    try (var files = Files.list(cacheDir())) {
      return files.sorted().toList();
    }
  }

  static Instant lastUse(Path file) throws Exception {
    return Files.getLastModifiedTime(file).toInstant();
  }

  static void prepared(Run run) {
    assertThat(run.status()).isEqualTo(RunRecord.Status.FAILED);
    assertThat(run.failure()).hasValueSatisfying(f -> assertThat(f.message()).contains("do not run pipelines"));
  }

  @Test
  void anUnchangedPipelineTakesItsPlanFromTheCacheAndAChangedOneMakesANewEntry() throws Exception {
    Pipeline daily = shop.pipelines().create("daily", daily("PAID"));
    prepared(daily.run(dev).await());
    assertThat(entries()).hasSize(1);
    Path entry = entries().get(0);
    assertThat(entry.getFileName().toString()).matches("[0-9a-f]{64}");
    assertThat(lastUse(entry)).isEqualTo(clock.now);

    clock.advance(Duration.ofHours(1));
    prepared(daily.run(dev).await());
    assertThat(entries()).containsExactly(entry);
    assertThat(lastUse(entry)).isEqualTo(clock.now); // read, not written: a hit marks its last use

    clock.advance(Duration.ofHours(1));
    assertThat(daily.validate(dev)).noneMatch(d -> d.isError()); // the analysis uses the same plan
    assertThat(lastUse(entry)).isEqualTo(clock.now);

    Pipeline changed = daily.update(io.prophecy.sdk.pipeline.PipelineGraph.of("daily", daily("SETTLED")));
    prepared(changed.run(dev).await());
    assertThat(entries()).hasSize(2).contains(entry);
    // a run's configuration values are part of the key too
    Pipeline configured = shop.pipelines().create("configured", p -> p.config("min", "double", "1")
        .source("Orders_Source", "orders").filter("Big", "Orders_Source", "amount > '$min'").target("Totals", "Big", "totals"));
    prepared(configured.run(dev).await());
    prepared(configured.run(dev, RunOptions.defaults().config("min", "2")).await());
    assertThat(entries()).hasSize(4);
  }

  @Test
  void noCacheFileHoldsTheGeneratedSqlOrAnySecret() throws Exception {
    shop.pipelines().create("daily", daily("PAID")).run(dev).await();
    shop.pipelines().create("other", daily("REFUNDED")).run(dev).await();
    // a plan that inlines a configuration value named like a secret is not cached at all
    Pipeline keyed = shop.pipelines().create("keyed", p -> p.config("api_token", "string", "")
        .source("Orders_Source", "orders").filter("Mine", "Orders_Source", "status = '$api_token'")
        .target("Totals", "Mine", "totals"));
    prepared(keyed.run(dev, RunOptions.defaults().config("api_token", "Run-Tok-77")).await());
    assertThat(entries()).hasSize(2);
    for (Path f : entries()) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertThat(raw).doesNotContain("Only_Paid_Ones", "Per_Customer_Total", "grand_total", "4242.5", "PAID",
          "REFUNDED", "SELECT", "tok-alice", "Run-Tok-77", "orders.csv", "Orders_Source");
    }
    // nor does anything else under the cache folder, nor its file names
    try (var all = Files.walk(home.resolve("cache"))) {
      assertThat(all.filter(Files::isRegularFile)).allSatisfy(f ->
          assertThat(f.getFileName().toString()).matches("[0-9a-f]{64}"));
    }
  }

  @Test
  void removingDamagingOrClearingTheCacheChangesNothingARunDoes() throws Exception {
    Pipeline daily = shop.pipelines().create("daily", daily("PAID"));
    prepared(daily.run(dev).await());
    Path entry = entries().get(0);
    byte[] sound = Files.readAllBytes(entry);

    deleteTree(home.resolve("cache"));
    prepared(daily.run(dev).await());
    assertThat(entries()).containsExactly(entry);

    byte[] damaged = Files.readAllBytes(entry);
    damaged[damaged.length - 5] ^= 0x40;
    Files.write(entry, damaged);
    prepared(daily.run(dev).await());
    assertThat(entries()).containsExactly(entry);
    assertThat(Files.readAllBytes(entry)).isNotEqualTo(damaged).hasSameSizeAs(sound); // made again, sound

    Files.write(entry, new byte[0]);
    prepared(daily.run(dev).await());
    assertThat(Files.size(entry)).isEqualTo(sound.length);

    assertThat(prophecy.clearCodeCache()).isEqualTo(1);
    assertThat(entries()).isEmpty();
    prepared(daily.run(dev).await());
    assertThat(entries()).hasSize(1);
  }

  @Test
  void anEntryUnusedForLongerThanTheConfiguredTimeToLiveIsMadeAgain() throws Exception {
    prophecy.close();
    prophecy = Prophecy.builder().home(home).register(provider).clock(clock).codeCacheTtl(Duration.ofDays(1)).build();
    Project p = prophecy.as("alice@example.com").teams().get("analytics").projects().get("shop");
    Fabric f = prophecy.as("alice@example.com").teams().get("analytics").fabrics().get("dev");
    Pipeline daily = p.pipelines().create("daily", daily("PAID"));
    prepared(daily.run(f).await());
    Path entry = entries().get(0);
    byte[] first = Files.readAllBytes(entry);
    clock.advance(Duration.ofHours(23));
    prepared(daily.run(f).await());
    assertThat(Files.readAllBytes(entry)).isEqualTo(first); // a hit
    clock.advance(Duration.ofHours(25));
    prepared(daily.run(f).await());
    assertThat(Files.readAllBytes(entry)).isNotEqualTo(first); // expired, removed, compiled and written again
    assertThat(lastUse(entry)).isEqualTo(clock.now);
  }

  @Test
  void turnedOffNothingIsWrittenAndTheSettingsAreChecked() throws Exception {
    prophecy.close();
    prophecy = Prophecy.builder().home(home).register(provider).clock(clock).codeCache(false).build();
    Team team = prophecy.as("alice@example.com").teams().get("analytics");
    Pipeline daily = team.projects().get("shop").pipelines().create("daily", daily("PAID"));
    prepared(daily.run(team.fabrics().get("dev")).await());
    prepared(daily.run(team.fabrics().get("dev")).await());
    assertThat(home.resolve("cache")).doesNotExist();
    assertThat(prophecy.clearCodeCache()).isZero();
    assertThatThrownBy(() -> Prophecy.builder().codeCacheMaxBytes(0)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("codeCacheMaxBytes").hasMessageContaining("codeCache(false)");
    assertThatThrownBy(() -> Prophecy.builder().codeCacheTtl(Duration.ZERO)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("codeCacheTtl");
  }

  @Test
  void twoInstancesOnOneHomeShareTheCacheWhileBothRunAtOnce() throws Exception {
    TestClock other = new TestClock();
    other.now = clock.now.plus(Duration.ofMinutes(5));
    List<Pipeline> mine = new ArrayList<>();
    for (String s : List.of("PAID", "SETTLED", "REFUNDED")) {
      mine.add(shop.pipelines().create("p_" + s.toLowerCase(), daily(s)));
    }
    try (Prophecy second = Prophecy.builder().home(home).register(new TestFabricProvider()).clock(other).build()) {
      Team team2 = second.as("alice@example.com").teams().get("analytics");
      Fabric dev2 = team2.fabrics().get("dev");
      List<Pipeline> theirs = new ArrayList<>();
      for (Pipeline p : mine) {
        theirs.add(team2.projects().get("shop").pipelines().get(p.info().name()));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Integer>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          boolean first = t % 2 == 0;
          int id = t;
          work.add(pool.submit(() -> {
            int runs = 0;
            for (int i = 0; i < 6; i++) {
              Pipeline p = (first ? mine : theirs).get((i + id) % 3);
              prepared(p.run(first ? dev : dev2).await());
              runs++;
            }
            return runs;
          }));
        }
        int runs = 0;
        for (Future<Integer> f : work) {
          runs += f.get(120, TimeUnit.SECONDS);
        }
        assertThat(runs).isEqualTo(48);
      } finally {
        pool.shutdownNow();
      }
      assertThat(entries()).hasSize(3); // one keyset in the shared store, one entry per pipeline
      // each instance reads what is there: a hit marks the entry with that instance's clock
      other.advance(Duration.ofHours(2));
      prepared(theirs.get(0).run(dev2).await());
      assertThat(entries()).hasSize(3).anySatisfy(f -> assertThat(lastUse(f)).isEqualTo(other.now));
    }
    // the one keyset is a row of the store beside the vault's own, encrypted like it
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("prophecy.db"));
        var rs = c.createStatement().executeQuery("SELECT name, keyset FROM vault_keysets ORDER BY name")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
        byte[] keyset = java.util.Base64.getDecoder().decode(rs.getString(2));
        assertThat(new String(keyset, StandardCharsets.ISO_8859_1)).doesNotContain("type.googleapis.com");
      }
      assertThat(names).containsExactly("code-cache", "credentials");
    }
  }

  static void deleteTree(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.internal.RunHistory;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.JobInfo;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.PipelineInfo;
import io.prophecy.sdk.model.Schedule;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.model.User;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.SessionOptions;
import io.prophecy.sdk.testing.Backend;
import io.prophecy.sdk.testing.TestFabricProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour of the store-backed API, run on each backend. */
abstract class StoreContract {
  @TempDir Path home;
  String url;
  Prophecy prophecy;
  TestFabricProvider provider = new TestFabricProvider();
  ProphecySession alice;
  Team team;

  abstract Backend backend();

  @BeforeEach
  void open() {
    url = backend().url(home);
    prophecy = reopen();
    prophecy.users().create("Alice@Example.com");
    prophecy.users().create("bob@example.com");
    alice = prophecy.as("alice@example.com");
    team = alice.teams().create("analytics");
  }

  Prophecy reopen() {
    return Prophecy.builder().home(home).storeUrl(url).register(provider).build();
  }

  @AfterEach
  void close() {
    prophecy.close();
  }

  static FabricSpec.Builder testFabric(String name) {
    return FabricSpec.builder().kind("test").name(name).putSettings("url", "https://engine.example.com");
  }

  static Credentials creds(String token) {
    return Credentials.builder().put("username", "alice").put("token", Secret.of(token)).build();
  }

  @Test
  void usersAreUniqueByLowerCaseEmailAndGetAPersonalTeam() {
    User a = prophecy.users().get("ALICE@example.com");
    assertThat(a.email()).isEqualTo("alice@example.com");
    assertThatThrownBy(() -> prophecy.users().create("alice@EXAMPLE.com"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("alice@example.com");
    assertThatThrownBy(() -> prophecy.users().create("not-an-email"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("email"));
    assertThat(prophecy.users().list()).extracting(User::email).containsExactly("alice@example.com", "bob@example.com");
    assertThat(prophecy.users().find("carol@example.com")).isEmpty();
    assertThatThrownBy(() -> prophecy.as("carol@example.com")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("users().create");
    Team personal = alice.personalTeam();
    assertThat(personal.info().personal()).isTrue();
    assertThat(personal.name()).isEqualTo("alice@example.com");
    assertThat(personal.myRole()).isEqualTo(Role.ADMIN);
    assertThat(alice.teams().list()).extracting(Team::name).containsExactly("alice@example.com", "analytics");
  }

  @Test
  void teamNamesAreValidatedAndUnique() {
    assertThatThrownBy(() -> alice.teams().create("bad name!"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("team.name"));
    assertThatThrownBy(() -> alice.teams().create("x@y")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("reserved for personal teams");
    assertThatThrownBy(() -> prophecy.as("bob@example.com").teams().create("analytics"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("taken");
  }

  @Test
  void membershipChangesAreVisibleThroughExistingHandles() {
    io.prophecy.sdk.model.Membership added = team.members().add("bob@example.com", Role.MEMBER);
    assertThat(added.user().email()).isEqualTo("bob@example.com");
    Team bobs = prophecy.as("bob@example.com").teams().get("analytics");
    assertThat(bobs.myRole()).isEqualTo(Role.MEMBER);
    team.members().setRole("bob@example.com", Role.ADMIN);
    assertThat(bobs.myRole()).isEqualTo(Role.ADMIN);
    assertThat(team.members().list()).extracting(m -> m.user().email() + ":" + m.role())
        .containsExactly("alice@example.com:ADMIN", "bob@example.com:ADMIN");
    assertThatThrownBy(() -> team.members().add("bob@example.com", Role.MEMBER)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> team.members().add("nobody@example.com", Role.MEMBER)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void fabricSettingsAreCheckedAgainstTheDescriptor() {
    assertThatThrownBy(() -> team.fabrics().create(FabricSpec.of("databricks", "prod")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("fabric.kind");
          assertThat(e.getMessage()).contains("installed kinds: discovered, test");
        });
    assertThatThrownBy(() -> team.fabrics().create(testFabric("dev").putSettings("colour", "red").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("fabric.settings.colour");
          assertThat(e.getMessage()).contains("url (required)", "mode", "retries");
        });
    assertThatThrownBy(() -> team.fabrics().create(FabricSpec.of("test", "dev")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("fabric.settings.url"));
    assertThatThrownBy(() -> team.fabrics().create(testFabric("dev").putSettings("url", "engine.example.com").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not an absolute http(s) URL");
    assertThatThrownBy(() -> team.fabrics().create(testFabric("dev").putSettings("retries", "many").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("fabric.settings.retries"));
    assertThatThrownBy(() -> FabricSpec.of("test", "1st"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("fabric.name"));

    Fabric dev = team.fabrics().create(testFabric("dev").description("Development").build());
    assertThat(dev.info().spec().settings()).containsEntry("mode", "fast").containsEntry("retries", "3");
    assertThat(team.fabrics().get("dev").info()).isEqualTo(dev.info());
    assertThatThrownBy(() -> team.fabrics().create(testFabric("dev").build())).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> team.fabrics().get("prod")).isInstanceOf(NotFoundException.class);
    assertThat(team.fabrics().list()).extracting(Fabric::name).containsExactly("dev");
    dev.credentials().set(creds("kept-through-update"));
    Fabric moved = dev.update(java.util.Map.of("url", "https://moved.example.com", "mode", "slow"));
    assertThat(moved.info().spec().settings()).containsEntry("url", "https://moved.example.com")
        .containsEntry("mode", "slow").containsEntry("retries", "3");
    assertThat(team.fabrics().get("dev").info().spec().settings()).isEqualTo(moved.info().spec().settings());
    assertThat(moved.credentials().isSet()).isTrue();
    assertThatThrownBy(() -> dev.update(java.util.Map.of("mode", "slow")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("fabric.settings.url"));
    assertThat(team.fabrics().get("dev").info().spec().settings()).containsEntry("url", "https://moved.example.com");
    // Nothing was left behind by the refused attempts.
    assertThat(prophecy.auditLog(20)).filteredOn(e -> e.action().equals("fabric.create"))
        .extracting(AuditEvent::outcome).containsOnlyOnce(AuditEvent.Outcome.SUCCESS);
  }

  @Test
  void credentialsAreCheckedStoredEncryptedAndBoundToUserAndFabric() throws Exception {
    Fabric dev = team.fabrics().create(testFabric("dev").build());
    assertThatThrownBy(() -> dev.credentials().set(Credentials.builder().put("username", "alice").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("credentials.token"));
    assertThatThrownBy(() -> dev.credentials().set(creds("t").toBuilder().put("pin", "1").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("credentials.pin"));
    // A secret field given as plain text is stored as a secret.
    dev.credentials().set(Credentials.builder().put("username", "alice").put("token", "plain-token-123").build());
    Credentials back = dev.credentials().get().orElseThrow();
    assertThat(back.secret("token").orElseThrow().reveal()).isEqualTo("plain-token-123");
    assertThat(back.toString()).doesNotContain("plain-token-123");

    String token = "dapi-contract-" + backend();
    dev.credentials().set(creds(token));
    assertThat(dev.credentials().get().orElseThrow().secret("token")).contains(Secret.of(token));
    try (Connection c = DriverManager.getConnection(url)) {
      String ciphertext;
      try (var rs = c.createStatement().executeQuery("SELECT ciphertext, user_id FROM credentials")) {
        assertThat(rs.next()).isTrue();
        ciphertext = rs.getString(1);
        assertThat(ciphertext).doesNotContain(token).doesNotContain("alice");
      }
      // Bob joins and stores his own; then Alice's ciphertext is copied onto Bob's row.
      team.members().add("bob@example.com", Role.MEMBER);
      Fabric bobsView = prophecy.as("bob@example.com").teams().get("analytics").fabrics().get("dev");
      bobsView.credentials().set(creds("bobs-token"));
      String bobId = prophecy.users().get("bob@example.com").id();
      try (var ps = c.prepareStatement("UPDATE credentials SET ciphertext = ? WHERE user_id = ?")) {
        ps.setString(1, ciphertext);
        ps.setString(2, bobId);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThatThrownBy(() -> bobsView.credentials().get())
          .isInstanceOf(VaultException.class)
          .hasMessageContaining("bob@example.com")
          .hasMessageContaining("does not belong")
          .hasMessageNotContaining(token);
    }
    assertThat(dev.credentials().clear()).isTrue();
    assertThat(dev.credentials().clear()).isFalse();
    assertThat(dev.credentials().get()).isEmpty();
  }

  @Test
  void connectingNeedsCredentialsAndNeverShowsThem() {
    Fabric dev = team.fabrics().create(testFabric("dev").build());
    assertThatThrownBy(dev::connect).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("username, token").hasMessageContaining("credentials().set");
    String rejected = "reject-" + backend() + "-s3cr3t";
    dev.credentials().set(creds(rejected));
    assertThatThrownBy(dev::connect)
        .isInstanceOfSatisfying(ConnectorException.class, e -> {
          assertThat(e.kind()).isEqualTo("test");
          assertThat(e.getMessage()).contains("401 Unauthorized").doesNotContain(rejected).contains("****");
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(rejected);
          }
        });
    String good = "good-" + backend() + "-s3cr3t";
    dev.credentials().set(creds(good));
    try (var conn = dev.connect();
        var session = conn.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
      ExecutionResult ok = session.submit(new CodeUnit("q", CodeLanguage.sql("spark"), "SELECT 1")).await(Duration.ofSeconds(1));
      assertThat(ok.text()).contains("SELECT 1");
      ExecutionResult failed = session.submit(new CodeUnit("q", CodeLanguage.sql("spark"), "fail")).await(Duration.ofSeconds(1));
      assertThat(failed.status()).isEqualTo(ExecutionResult.Status.FAILED);
      assertThat(failed.error().orElseThrow()).contains("syntax error").doesNotContain(good);
      assertThatThrownBy(() -> session.submit(new CodeUnit("q", CodeLanguage.sql("spark"), "throw")))
          .isInstanceOf(ConnectorException.class).hasMessageContaining("submit refused").hasMessageNotContaining(good);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(prophecy.auditLog(10)).filteredOn(e -> e.action().equals("credential.use"))
        .extracting(AuditEvent::outcome)
        .containsExactly(AuditEvent.Outcome.SUCCESS, AuditEvent.Outcome.FAILED, AuditEvent.Outcome.FAILED);
  }

  @Test
  void projectsHaveWorkingCopiesThatOutliveTheirRegistration() throws Exception {
    Project shop = team.projects().create("shop");
    assertThat(shop.workingCopy()).isDirectory().startsWith(home.resolve("projects"));
    Path custom = home.resolve("elsewhere/web");
    Project web = team.projects().create(ProjectSpec.builder().name("web").workingCopy(custom)
        .language(ProjectSpec.Language.SCALA).gitRemote("https://git.example.com/acme/web.git").build());
    assertThat(web.workingCopy()).isEqualTo(custom.toAbsolutePath());
    assertThat(team.projects().get("web").info()).isEqualTo(web.info());
    assertThat(team.projects().list()).extracting(Project::name).containsExactly("shop", "web");
    assertThatThrownBy(() -> team.projects().create("shop")).isInstanceOf(ConflictException.class);
    Files.createDirectories(home.resolve("full"));
    Files.writeString(home.resolve("full/README.md"), "someone's work");
    assertThatThrownBy(() -> team.projects().create(ProjectSpec.builder().name("full").workingCopy(home.resolve("full")).build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("not empty");
    assertThatThrownBy(() -> ProjectSpec.builder().name("leaky").gitRemote("https://bob:ghp_secret@github.com/a/b.git").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("project.gitRemote");
          assertThat(e.getMessage()).doesNotContain("ghp_secret");
        });
    Files.writeString(shop.workingCopy().resolve("pbt_project.yml"), "name: shop\n");
    shop.delete();
    assertThat(shop.workingCopy().resolve("pbt_project.yml")).hasContent("name: shop");
    assertThatThrownBy(() -> team.projects().get("shop")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(shop::delete).isInstanceOf(NotFoundException.class);
  }

  @Test
  void projectsKeepDatasetsAndJobsInProphecysLayout() throws Exception {
    Project shop = team.projects().create(ProjectSpec.builder().name("shop").description("Shop").build());
    Path root = shop.workingCopy();
    assertThat(Files.readString(root.resolve("pbt_project.yml")))
        .contains("name: shop", "language: python", "version: 0.0.1", "author: alice@example.com", "pipelines: {}");
    // A key the SDK does not know, as a newer Prophecy might write, survives every edit.
    Files.writeString(root.resolve("pbt_project.yml"), "customKey:\n  keep: me\n", java.nio.file.StandardOpenOption.APPEND);

    DatasetSpec orders = DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
        .putOptions("header", "true").putOptions("separator", ";")
        .addSchema(DatasetSpec.Column.of("id", "long"), new DatasetSpec.Column("amount", "decimal(10,2)", false))
        .build();
    Dataset made = shop.datasets().create(orders);
    assertThat(made.spec()).isEqualTo(orders);
    String json = Files.readString(root.resolve("datasets/orders/default/configs/dataset.json"));
    assertThat(json).contains("\"format\" : \"csv\"", "\"path\" : \"data/orders.csv\"", "\"type\" : \"struct\"",
        "\"name\" : \"amount\"", "\"nullable\" : false", "\"separator\" : \";\"");
    assertThat(root.resolve("datasets/orders/pbt_aspects.yml")).hasContent("version: 1");
    assertThat(shop.datasets().get("orders").spec()).isEqualTo(orders);
    assertThatThrownBy(() -> shop.datasets().create(orders)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> DatasetSpec.builder().name("bad").format("csv").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("dataset.path"));
    assertThatThrownBy(() -> DatasetSpec.builder().name("bad").format("excelish").path("x").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("dataset.format"));
    shop.datasets().create(DatasetSpec.builder().name("revenue").format("catalogTable").table("sales.revenue").build());
    assertThat(shop.datasets().list()).extracting(Dataset::name).containsExactly("orders", "revenue");

    ProjectFixtures.addPipeline(root, "daily", List.of("orders"), List.of("revenue"));
    Fabric dev = team.fabrics().create(testFabric("dev").build());
    assertThatThrownBy(() -> shop.jobs().create(JobSpec.builder().name("nightly").fabric("dev").addPipelines("weekly").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("job.pipelines[0]");
          assertThat(e.getMessage()).contains("[daily]");
        });
    assertThatThrownBy(() -> shop.jobs().create(JobSpec.builder().name("nightly").fabric("prod").addPipelines("daily").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("job.fabric"));
    Job nightly = shop.jobs().create(JobSpec.builder().name("nightly").fabric("dev").addPipelines("daily")
        .schedule(Schedule.cron("0 0 2 * * ?", "Europe/Berlin")).jobSize("small").addAlertEmails("ops@example.com").build());
    assertThat(nightly.info().fabric()).contains("dev");
    assertThat(nightly.info().fabricId()).contains(dev.info().id());
    assertThat(shop.jobs().get("nightly").info()).isEqualTo(nightly.info());
    assertThat(nightly.info().scheduleCron()).contains("0 0 2 * * ?");
    assertThat(nightly.info().alertEmails()).containsExactly("ops@example.com");
    assertThat(shop.pipelines().get("daily").info().inputs()).containsExactly("orders");
    assertThat(shop.pipelines().list()).extracting(Pipeline::name).containsExactly("daily");

    nightly.delete();
    assertThat(shop.jobs().list()).isEmpty();
    assertThatThrownBy(nightly::delete).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> shop.datasets().get("orders").delete()).isInstanceOf(ConflictException.class)
        .hasMessageContaining("[daily]");
    shop.datasets().create(DatasetSpec.builder().name("scratch").format("json").path("tmp/scratch").build()).delete();
    assertThat(root.resolve("datasets/scratch")).doesNotExist();
    String index = Files.readString(root.resolve("pbt_project.yml"));
    assertThat(index).contains("customKey:", "keep: me", "datasets/revenue:", "datasets/orders:")
        .doesNotContain("datasets/scratch");
    try (var files = Files.list(root)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".lock"));
    }
  }

  @Test
  void anExistingProphecyProjectOpensWithItsPipelinesDatasetsAndJobs() throws Exception {
    Path folder = ProjectFixtures.prophecyStyleProject(home.resolve("checkout/retail"));
    String before = Files.readString(folder.resolve("pbt_project.yml"));
    Project retail = team.projects().open("retail", folder);
    assertThat(Files.readString(folder.resolve("pbt_project.yml"))).isEqualTo(before);
    assertThat(retail.info().spec().description()).contains("Sales reporting");
    PipelineInfo ingest = retail.pipelines().get("ingest_sales").info();
    assertThat(ingest.inputs()).containsExactly("raw_sales");
    assertThat(ingest.outputs()).containsExactly("sales");
    assertThat(ingest.description()).contains("Loads the day's sales");
    DatasetSpec raw = retail.datasets().get("raw_sales").spec();
    assertThat(raw.path()).contains("dbfs:/Prophecy/raw/sales.csv");
    assertThat(raw.schema()).containsExactly(new DatasetSpec.Column("id", "long", false),
        new DatasetSpec.Column("amount", "decimal(10,2)", true));
    assertThat(raw.options()).containsEntry("header", "true").containsEntry("separator", ",").doesNotContainKey("inferSchema");
    assertThat(retail.datasets().get("sales").spec().table()).contains("retail.sales");
    JobInfo daily = retail.jobs().get("daily_sales").info();
    assertThat(daily.fabricId()).contains("4711");
    assertThat(daily.fabric()).isEmpty();
    assertThat(daily.scheduleCron()).contains("0 6 * * *");
    assertThat(daily.alertEmails()).containsExactly("ops@example.com", "lead@example.com");
    assertThat(daily.enabled()).isFalse();
    assertThat(daily.pipelines()).containsExactly("ingest_sales");

    Path broken = home.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("pbt_project.yml"), "name: x\npipelines: [unclosed\n");
    assertThatThrownBy(() -> team.projects().open("broken", broken))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo(broken.resolve("pbt_project.yml").toString());
          assertThat(e.getMessage()).contains("line");
        });
    assertThatThrownBy(() -> team.projects().open("empty", home.resolve("nothing-here")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is missing");
    Path cobol = ProjectFixtures.minimalProject(home.resolve("cobol"), "cobol");
    Files.writeString(cobol.resolve("pbt_project.yml"), "name: cobol\nlanguage: cobol\n");
    assertThatThrownBy(() -> team.projects().open("cobol", cobol))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo(cobol.resolve("pbt_project.yml") + ": language");
          assertThat(e.getMessage()).contains("'cobol' is not python, scala or sql");
        });
    assertThat(team.projects().list()).extracting(Project::name).containsExactly("retail");

    Path salesConfig = folder.resolve("datasets/sales/default/configs/dataset.json");
    Files.delete(salesConfig);
    assertThatThrownBy(() -> retail.datasets().get("sales"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo(salesConfig.toString());
          assertThat(e.getMessage()).contains("is missing").contains("dataset 'sales'");
        });
  }

  @Test
  void concurrentEditsOfOneProjectLoseNoEntry() throws Exception {
    Project shop = team.projects().create("shop");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = t;
        futures.add(pool.submit(() -> shop.datasets().create(
            DatasetSpec.builder().name("d" + n).format("parquet").path("out/d" + n).build())));
      }
      for (Future<?> f : futures) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(shop.datasets().list()).hasSize(8);
  }

  @Test
  void runHistoryKeepsMetricsPerGem() throws Exception {
    Project shop = team.projects().create("shop");
    Fabric dev = team.fabrics().create(testFabric("dev").build());
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    RunRecord started = RunRecord.builder().id("run-1").projectId(shop.info().id()).pipeline("daily")
        .fabricId(dev.info().id()).userId(alice.user().id()).status(RunRecord.Status.RUNNING).startedAt(t0).build();
    RunRecord finished = RunRecord.builder().from(started).status(RunRecord.Status.FAILED)
        .finishedAt(t0.plusSeconds(5)).error("gem Paid: column status not found")
        .addMetrics(GemMetrics.builder().gem("Orders").rows(120).duration(Duration.ofMillis(40)).build())
        .addMetrics(GemMetrics.builder().gem("Paid").port("out").rows(0).duration(Duration.ofMillis(7)).build())
        .build();
    try (Connection c = DriverManager.getConnection(url)) {
      RunHistory.record(c, started);
      RunHistory.record(c, finished);
    }
    assertThat(shop.runs(10)).containsExactly(finished);
    assertThatThrownBy(() -> shop.runs(0)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.location()).isEqualTo("limit"));
  }

  @Test
  void theAuditLogRecordsWhoDidWhatAndHowItEnded() {
    assertThatThrownBy(() -> team.fabrics().create(FabricSpec.of("nope", "x"))).isInstanceOf(InvalidInputException.class);
    List<AuditEvent> events = team.auditLog(10);
    assertThat(events).extracting(e -> e.actor() + " " + e.action() + " " + e.outcome())
        .containsExactly("alice@example.com fabric.create FAILED", "alice@example.com team.create SUCCESS");
    assertThat(events.get(0).detail().orElseThrow()).contains("InvalidInputException").contains("installed kinds");
    assertThat(events.get(0).sequence()).isGreaterThan(events.get(1).sequence());
    assertThat(prophecy.auditLog(100)).extracting(AuditEvent::action).contains("user.create");
    assertThat(prophecy.auditLog(100)).filteredOn(e -> e.action().equals("user.create"))
        .extracting(AuditEvent::actor).containsOnly("host");
  }

  @Test
  void keyRotationKeepsOldCiphertextsReadableAndReencryptsOnDemand() {
    Fabric dev = team.fabrics().create(testFabric("dev").build());
    dev.credentials().set(creds("before-rotation"));
    int first = prophecy.vault().primaryKeyId();
    int second = prophecy.vault().rotateKey();
    assertThat(second).isNotEqualTo(first);
    assertThat(prophecy.vault().keyCount()).isEqualTo(2);
    assertThat(dev.credentials().get().orElseThrow().secret("token")).contains(Secret.of("before-rotation"));
    // Another instance on the same store, opened before a further rotation, still decrypts.
    try (Prophecy other = reopen()) {
      prophecy.vault().rotateKey();
      assertThat(prophecy.vault().reencryptAll()).isEqualTo(1);
      Fabric seenByOther = other.as("alice@example.com").teams().get("analytics").fabrics().get("dev");
      assertThat(seenByOther.credentials().get().orElseThrow().secret("token")).contains(Secret.of("before-rotation"));
      assertThat(other.vault().keyCount()).isEqualTo(3);
    }
  }

  @Test
  void concurrentWritersFromManyThreadsLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            Team made = alice.teams().create("t" + thread + "-" + i);
            made.projects().create("p" + i);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(alice.teams().list()).hasSize(2 + 80);
    assertThat(alice.teams().get("t7-9").projects().list()).extracting(Project::name).containsExactly("p9");
  }

  @Test
  void racingForOneNameGivesOneWinnerAndConflictsForTheRest() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          try {
            alice.teams().create("contested");
            return "won";
          } catch (ConflictException e) {
            return "conflict";
          }
        }));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : futures) {
        outcomes.add(f.get(1, TimeUnit.MINUTES));
      }
      assertThat(outcomes).containsOnlyOnce("won").hasSize(8).containsOnly("won", "conflict");
    } finally {
      pool.shutdownNow();
    }
    assertThat(alice.teams().get("contested").myRole()).isEqualTo(Role.ADMIN);
  }

  @Test
  void dataSurvivesReopeningAndClosedInstancesSaySo() {
    team.fabrics().create(testFabric("dev").build()).credentials().set(creds("kept"));
    prophecy.close();
    prophecy.close(); // idempotent
    assertThatThrownBy(() -> alice.teams().list()).isInstanceOf(ProphecyException.class).hasMessageContaining("closed");
    assertThat(prophecy.toString()).contains("closed");
    prophecy = reopen();
    Fabric dev = prophecy.as("alice@example.com").teams().get("analytics").fabrics().get("dev");
    assertThat(dev.credentials().get().flatMap(c -> c.secret("token"))).isEqualTo(Optional.of(Secret.of("kept")));
  }
}

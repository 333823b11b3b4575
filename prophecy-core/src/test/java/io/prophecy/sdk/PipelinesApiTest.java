package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines through the public API, without an engine: files in Prophecy's layout, generated code, errors. */
class PipelinesApiTest {
  @TempDir Path home;
  Prophecy prophecy;
  Team team;
  final io.prophecy.sdk.testing.TestFabricProvider provider = new io.prophecy.sdk.testing.TestFabricProvider();

  @BeforeEach
  void open() {
    prophecy = Prophecy.builder().home(home).register(provider).build();
    team = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics");
  }

  @AfterEach
  void close() {
    prophecy.close();
  }

  private Project shop(ProjectSpec.Language language) {
    Project p = team.projects().create(ProjectSpec.builder().name("shop_" + language.name().toLowerCase())
        .language(language).build());
    p.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
        .putOptions("header", "true").putOptions("separator", ";")
        .addSchema(Column.of("id", "long"), Column.of("customer_id", "long"), Column.of("amount", "double"),
            Column.of("status", "string"))
        .build());
    p.datasets().create(DatasetSpec.builder().name("customers").format("csv").path("data/customers.csv")
        .addSchema(Column.of("id", "long"), Column.of("country", "string")).build());
    p.datasets().create(DatasetSpec.builder().name("revenue").format("parquet").path("out/revenue").build());
    return p;
  }

  private static Consumer<PipelineBuilder> daily(boolean withFilter) {
    return p -> {
      p.source("Orders", "orders").source("Customers", "customers");
      String into = "Orders";
      if (withFilter) {
        p.filter("Paid", "Orders", "status = 'PAID'");
        into = "Paid";
      }
      p.join("With_Customer", List.of(into, "Customers"), j -> j.on("in1", "in0.customer_id = in1.id", JoinType.INNER)
              .columns("in0.amount", "in1.country"))
          .aggregate("By_Country", "With_Customer", a -> a.groupBy("country").agg("revenue", "sum(amount)"))
          .target("Revenue", "By_Country", "revenue");
    };
  }

  @Test
  void aPythonProjectKeepsTheWorkflowTheIndexEntryAndPySparkCodePerGem() throws Exception {
    Project shop = shop(ProjectSpec.Language.PYTHON);
    Pipeline daily = shop.pipelines().create("daily", daily(true));
    Path folder = shop.workingCopy().resolve("pipelines/daily");
    Path code = folder.resolve("code");
    assertThat(code.resolve(".prophecy/workflow.latest.json")).exists();
    assertThat(folder.resolve("pbt_aspects.yml")).exists();
    assertThat(code.resolve("setup.py")).exists();
    assertThat(code.resolve("daily/pipeline.py")).content().contains("def pipeline(spark");
    assertThat(code.resolve("daily/graph/Paid.py")).content().contains("def Paid(spark", "status = 'PAID'");
    String index = Files.readString(shop.workingCopy().resolve("pbt_project.yml"));
    assertThat(index).contains("pipelines/daily:", "datasets/orders", "datasets/revenue");
    assertThat(daily.info().inputs()).containsExactly("customers", "orders");
    assertThat(daily.info().outputs()).containsExactly("revenue");

    // the graph read back is the graph written
    assertThat(shop.pipelines().get("daily").graph()).isEqualTo(PipelineGraph.of("daily", daily(true)));
    assertThat(daily.validate()).filteredOn(Diagnostic::isError).isEmpty();

    // Spark SQL: a view per gem; the csv "separator" of Prophecy's dataset file is Spark's "sep"
    assertThat(daily.sparkSql()).contains("CREATE OR REPLACE TEMPORARY VIEW `Paid` AS", "`sep` ';'")
        .doesNotContain("`separator`");

    // an update that changes nothing touches no file
    String workflow = Files.readString(code.resolve(".prophecy/workflow.latest.json"));
    // the file is dated a minute back, so any rewrite would show in its time without waiting for the clock
    long stamp = System.currentTimeMillis() - 60_000;
    Files.setLastModifiedTime(code.resolve("daily/graph/Paid.py"), java.nio.file.attribute.FileTime.fromMillis(stamp));
    daily.update(daily.graph());
    assertThat(Files.readString(shop.workingCopy().resolve("pbt_project.yml"))).isEqualTo(index);
    assertThat(Files.getLastModifiedTime(code.resolve("daily/graph/Paid.py")).toMillis()).isEqualTo(stamp);

    // dropping a gem drops its code; files the generator does not own stay
    Files.writeString(code.resolve("README.md"), "notes\n");
    daily.update(PipelineGraph.of("daily", daily(false)));
    assertThat(code.resolve("daily/graph/Paid.py")).doesNotExist();
    assertThat(code.resolve("daily/graph/With_Customer.py")).content().contains("in0.customer_id = in1.id");
    assertThat(code.resolve("README.md")).exists();
    assertThat(Files.readString(code.resolve(".prophecy/workflow.latest.json"))).isNotEqualTo(workflow)
        .doesNotContain("Paid");

    daily.delete();
    assertThat(folder).doesNotExist();
    assertThat(shop.pipelines().list()).isEmpty();
    assertThat(Files.readString(shop.workingCopy().resolve("pbt_project.yml"))).doesNotContain("pipelines/daily");
  }

  @Test
  void aDatasetHasAPhysicalDatasetPerFabricInProphecysLayout() throws Exception {
    Project shop = shop(ProjectSpec.Language.PYTHON);
    Fabric dev = team.fabrics().create(TenancyContract.testFabric("dev"));
    Fabric prod = team.fabrics().create(TenancyContract.testFabric("prod"));
    Dataset orders = shop.datasets().get("orders");
    DatasetSpec onDev = DatasetSpec.builder().name("orders").format("parquet").path("/mnt/dev/orders")
        .addSchema(Column.of("id", "long")).build();
    orders.putForFabric(dev, onDev);

    Path file = shop.workingCopy().resolve("datasets/orders/dev/configs/dataset.json");
    assertThat(file).content().contains("\"format\" : \"parquet\"", "/mnt/dev/orders");
    assertThat(shop.workingCopy().resolve("datasets/orders/default/configs/dataset.json")).content()
        .contains("data/orders.csv");
    String index = Files.readString(shop.workingCopy().resolve("pbt_project.yml"));
    assertThat(index).contains("fabricId: " + dev.info().id());
    assertThat(orders.specFor(dev)).isEqualTo(onDev);
    assertThat(orders.specFor(prod)).isEqualTo(orders.spec());
    assertThat(shop.datasets().get("orders").spec().format()).isEqualTo("csv");

    assertThatThrownBy(() -> shop.datasets().create(DatasetSpec.builder().name("crm").format("jdbc").table("accounts")
            .putOptions("url", "jdbc:postgresql://db/crm").putOptions("password", "hunter2").build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("dataset.options.password");
          assertThat(e.getMessage()).doesNotContain("hunter2");
        });
    assertThatThrownBy(() -> orders.putForFabric(dev, DatasetSpec.builder().name("orders").format("jdbc").table("o")
            .putOptions("url", "jdbc:postgresql://db/crm?user=app&password=hunter2").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageNotContaining("hunter2");
    assertThat(shop.workingCopy().resolve("datasets/crm")).doesNotExist();
    assertThatThrownBy(() -> orders.putForFabric(dev, DatasetSpec.builder().name("other").format("csv").path("x.csv").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("keeps the dataset's name");
    assertThat(file).content().contains("/mnt/dev/orders");
  }

  @Test
  void aRunOnAFabricThatCannotRunPipelinesFailsClearlyAndIsKeptInTheHistory() throws Exception {
    Project shop = shop(ProjectSpec.Language.PYTHON);
    Fabric dev = team.fabrics().create(TenancyContract.testFabric("dev"));
    dev.credentials().set(TenancyContract.creds("alice@example.com", "t1"));
    Pipeline daily = shop.pipelines().create("daily", daily(true));
    Pipeline other = shop.pipelines().create("other", p -> p.source("Orders", "orders").limit("First", "Orders", 5));

    Run run = daily.run(dev).await();
    assertThat(run.status()).isEqualTo(io.prophecy.sdk.model.RunRecord.Status.FAILED);
    assertThat(run.failure()).hasValueSatisfying(f -> assertThat(f.message()).contains("do not run pipelines"));
    assertThat(daily.runs(5)).extracting(io.prophecy.sdk.model.RunRecord::id).containsExactly(run.id());
    assertThat(daily.runs(5).get(0).status()).isEqualTo(io.prophecy.sdk.model.RunRecord.Status.FAILED);
    assertThat(other.runs(5)).isEmpty();
    assertThat(shop.runs(5)).extracting(io.prophecy.sdk.model.RunRecord::pipeline).containsExactly("daily");
    assertThatThrownBy(() -> daily.runs(0)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aPipelineTheGeneratorsRefuseIsNotWrittenAtAll() throws Exception {
    Project shop = shop(ProjectSpec.Language.PYTHON);
    shop.datasets().create(DatasetSpec.builder().name("merged").format("delta").path("out/merged")
        .putOptions("writeMode", "merge").build());
    String index = Files.readString(shop.workingCopy().resolve("pbt_project.yml"));
    assertThatThrownBy(() -> shop.pipelines().create("upsert", p -> p.source("Orders", "orders")
        .target("Merged", "Orders", "merged")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'Merged'").hasMessageContaining("writeMode");
    assertThat(shop.pipelines().list()).isEmpty();
    assertThat(shop.workingCopy().resolve("pipelines/upsert")).doesNotExist();
    assertThat(Files.readString(shop.workingCopy().resolve("pbt_project.yml"))).isEqualTo(index);
  }

  @Test
  void runsShareOneKeptConnectionUntilTheFabricOrTheCredentialsChange() throws Exception {
    Project shop = shop(ProjectSpec.Language.PYTHON);
    Fabric dev = team.fabrics().create(TenancyContract.testFabric("dev"));
    dev.credentials().set(TenancyContract.creds("alice@example.com", "t1"));
    Pipeline daily = shop.pipelines().create("daily", daily(true));
    daily.run(dev).await();
    daily.run(dev).await();
    daily.validate(dev);
    assertThat(provider.connections).hasSize(1);
    assertThat(provider.closed).hasValue(0);

    dev.credentials().set(TenancyContract.creds("alice@example.com", "t2"));
    daily.run(dev).await();
    assertThat(provider.connections).hasSize(2);
    assertThat(provider.connections.get(1).credentials().secret("token").orElseThrow().reveal())
        .isEqualTo("tok-alice@example.com-t2");
    assertThat(provider.closed).hasValue(1);

    Fabric moved = dev.update(java.util.Map.of("url", "https://other.example.com"));
    assertThat(provider.closed).hasValue(2);
    daily.run(moved).await();
    assertThat(provider.connections).hasSize(3);
    assertThat(provider.connections.get(2).config().setting("url")).contains("https://other.example.com");
    // every use of the credentials is audited, whether it connected or used the open connection
    assertThat(prophecy.auditLog(100)).filteredOn(e -> e.action().equals("credential.use"))
        .extracting(e -> e.detail().orElse("")).containsExactlyInAnyOrder("connect", "open connection",
            "open connection", "connect", "connect");
    prophecy.close();
    assertThat(provider.closed).hasValue(3);
  }

  @Test
  void withConnectionsNotKeptEachRunClosesItsOwn() throws Exception {
    io.prophecy.sdk.testing.TestFabricProvider own = new io.prophecy.sdk.testing.TestFabricProvider();
    try (Prophecy p = Prophecy.builder().home(home.resolve("unkept")).register(own)
        .keepConnections(java.time.Duration.ZERO).build()) {
      Team t = p.as(p.users().create("bob@example.com")).teams().create("ops");
      Project project = t.projects().create("shop");
      project.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv").build());
      Fabric dev = t.fabrics().create(TenancyContract.testFabric("dev"));
      dev.credentials().set(TenancyContract.creds("bob@example.com", "t1"));
      Pipeline first = project.pipelines().create("first", b -> b.source("Orders", "orders").limit("Few", "Orders", 5));
      first.run(dev).await();
      first.run(dev).await();
      assertThat(own.connections).hasSize(2);
      assertThat(own.closed).hasValue(2);
    }
    assertThatThrownBy(() -> Prophecy.builder().keepConnections(java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("keepConnections");
  }

  @Test
  void aScalaProjectGetsAGemPerScalaObject() {
    Project shop = shop(ProjectSpec.Language.SCALA);
    shop.pipelines().create("daily-sales", daily(true));
    Path src = shop.workingCopy().resolve("pipelines/daily-sales/code/src/main/scala/io/prophecy/pipelines/daily_sales");
    assertThat(src.resolve("main.scala")).content().contains("package io.prophecy.pipelines.daily_sales");
    assertThat(src.resolve("graph/Paid.scala")).content().contains("object Paid");
    assertThat(shop.workingCopy().resolve("pipelines/daily-sales/code/pom.xml")).exists();
  }

  @Test
  void aPipelineWithErrorsIsRefusedWithEveryDiagnosticAndNothingIsWritten() {
    Project shop = shop(ProjectSpec.Language.PYTHON);
    assertThatThrownBy(() -> shop.pipelines().create("bad", p -> p.source("Orders", "no_such_dataset")
            .filter("Paid", "Orders", "   ")
            .target("Revenue", "Paid", "revenue")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("pipeline 'bad'");
          assertThat(e.getMessage()).contains("gem 'Orders' at properties.datasetId", "no_such_dataset")
              .contains("gem 'Paid'");
        });
    assertThat(shop.workingCopy().resolve("pipelines/bad")).doesNotExist();
    assertThat(shop.pipelines().list()).isEmpty();

    shop.pipelines().create("daily", daily(true));
    assertThatThrownBy(() -> shop.pipelines().create("daily", daily(false))).isInstanceOf(ConflictException.class)
        .hasMessageContaining("'daily' already");
    assertThatThrownBy(() -> shop.pipelines().get("daily").update(PipelineGraph.of("other", daily(true))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("keeps its name");
  }

  @Test
  void aRealProjectOpensAndItsOdditiesAreDiagnosticsNamingTheFile() throws Exception {
    Path folder = ProjectFixtures.copyResourceProject("python_shop", home.resolve("checkout"));
    Project shop = team.projects().open("python_shop", folder);
    assertThat(shop.pipelines().list()).extracting(Pipeline::name).contains("all_gems", "no_dataset", "broken");
    PipelineGraph all = shop.pipelines().get("all_gems").graph();
    assertThat(all.gems()).hasSizeGreaterThan(10);

    List<Diagnostic> broken = shop.pipelines().get("broken").validate();
    assertThat(broken).anySatisfy(d -> assertThat(d.location().orElse(""))
        .contains("pipelines/broken/code/.prophecy/workflow.latest.json:"));
    assertThatThrownBy(() -> shop.pipelines().get("broken").graph()).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not valid JSON");

    // a Source without a dataset is said once, naming the file and the field
    List<Diagnostic> noDataset = shop.pipelines().get("no_dataset").validate();
    assertThat(noDataset).filteredOn(d -> d.location().orElse("").endsWith("properties.datasetId")).hasSize(1)
        .first().satisfies(d -> assertThat(d.location().orElseThrow())
            .startsWith("pipelines/no_dataset/code/.prophecy/workflow.latest.json"));
    // opening wrote nothing
    try (Stream<Path> files = Files.walk(folder)) {
      assertThat(files.filter(p -> p.toString().contains("/graph/"))).isEmpty();
    }
  }
}

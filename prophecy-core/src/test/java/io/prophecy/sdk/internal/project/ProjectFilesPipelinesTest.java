package io.prophecy.sdk.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.Diagnostic.Severity;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.pipeline.WorkflowWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines and datasets of real-looking projects: read leniently, written back changing only what changed. */
class ProjectFilesPipelinesTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  @TempDir
  Path tmp;
  Path root;
  ProjectFiles files;

  @BeforeEach
  void copyFixture() throws Exception {
    root = copy("python_shop");
    files = new ProjectFiles(root, tmp.resolve("locks/python_shop.lock"), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private Path copy(String project) {
    return io.prophecy.sdk.ProjectFixtures.copyResourceProject(project, tmp.resolve(project));
  }


  @Test
  void problemsNameTheFileOfEachOddity() {
    List<Diagnostic> found = files.problems();
    assertThat(found).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Severity.ERROR);
      assertThat(d.location().orElse("")).contains("pipelines/ghost/code/.prophecy/workflow.latest.json");
      assertThat(d.message()).contains("is missing", "ghost");
    }).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Severity.WARNING);
      assertThat(d.location().orElse("")).contains("pipelines/unlisted_one");
      assertThat(d.message()).contains("not listed in pbt_project.yml");
    }).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Severity.ERROR);
      assertThat(d.location().orElse("")).contains("pipelines/broken/code/.prophecy/workflow.latest.json:12");
      assertThat(d.message()).contains("not valid JSON", "line 12");
    }).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Severity.ERROR);
      assertThat(d.gem()).contains("NoSource");
      assertThat(d.location().orElse("")).contains("pipelines/no_dataset/code/.prophecy/workflow.latest.json: properties.datasetId");
    }).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Severity.WARNING);
      assertThat(d.gem()).contains("Guess");
      assertThat(d.location().orElse("")).contains("properties.condition.format");
      assertThat(d.message()).contains("${$.workflow.metainfo.frontEndLanguage}");
    }).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Severity.INFO);
      assertThat(d.gem()).contains("Cleaned");
      assertThat(d.location().orElse("")).contains("properties.importLanguage");
    }).anySatisfy(d -> {
      assertThat(d.location().orElse("")).contains("datasets/2024_sales/default/configs/dataset.json: dataset.name");
      assertThat(d.message()).contains("'2024_sales' is not a valid name").doesNotContain(root.toString());
    }).anySatisfy(d -> {
      assertThat(d.location().orElse("")).contains("datasets/hive_thing/default/configs/dataset.json: dataset.format");
      assertThat(d.message()).contains("'hive' is not a dataset format");
    }).anySatisfy(d -> {
      assertThat(d.location().orElse("")).contains("datasets/lost/default/configs/dataset.json");
      assertThat(d.message()).contains("is missing");
    });
    // A well-formed pipeline has nothing to report but the placeholder Prophecy writes itself.
    assertThat(found).filteredOn(d -> d.location().orElse("").contains("pipelines/dbfs_report")
        || d.location().orElse("").contains("pipelines/transpiled")).isEmpty();
    assertThat(found).filteredOn(d -> d.location().orElse("").contains("pipelines/all_gems"))
        .allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.INFO));
  }

  @Test
  void datasetsOfEveryFormatRead() {
    ProjectScan<DatasetSpec> scan = files.scanDatasets();
    Map<String, DatasetSpec> byName = new HashMap<>();
    scan.items().forEach(d -> byName.put(d.name(), d));
    assertThat(byName.keySet()).containsExactlyInAnyOrder("customers", "orders", "returns", "order_report", "events_orc",
        "notes_text", "sales_table", "legacy_table", "crm_accounts", "invoices_xml", "budget_xlsx", "warehouse_orders",
        "nested_events");
    assertThat(scan.diagnostics()).hasSize(3);
    assertThat(files.datasets()).isEqualTo(scan.items());

    DatasetSpec customers = byName.get("customers");
    assertThat(customers.path()).contains("dbfs:/Prophecy/shop/customers.csv");
    assertThat(customers.schema()).containsExactly(new DatasetSpec.Column("customer_id", "long", false),
        new DatasetSpec.Column("country", "string", true));
    assertThat(customers.options()).containsEntry("header", "true").containsEntry("separator", ",")
        .containsEntry("writeMode", "error").doesNotContainKeys("inferSchema", "datasetType", "useSchema", "multiLine");
    assertThat(byName.get("orders").schema()).extracting(DatasetSpec.Column::type)
        .containsExactly("long", "long", "decimal(12,2)", "string");
    assertThat(byName.get("returns").path()).contains("/Volumes/main/shop/returns");
    assertThat(byName.get("order_report").options()).containsEntry("writeMode", "merge")
        .containsEntry("partitionColumns", "[\"country\"]");
    assertThat(byName.get("events_orc").path()).contains("s3://shop-bucket/events");
    assertThat(byName.get("notes_text").path()).contains("${NOTES_DIR}/notes.txt");
    DatasetSpec sales = byName.get("sales_table");
    assertThat(sales.format()).isEqualTo("catalogTable");
    assertThat(sales.table()).contains("main.shop.sales");
    assertThat(sales.path()).isEmpty();
    assertThat(sales.options()).containsEntry("provider", "delta").doesNotContainKeys("catalog", "tableName", "path");
    assertThat(byName.get("legacy_table").table()).contains("legacy.sales");
    assertThat(byName.get("crm_accounts").table()).contains("public.accounts");
    assertThat(byName.get("crm_accounts").options()).containsEntry("driver", "org.postgresql.Driver");
    assertThat(byName.get("invoices_xml").options()).containsEntry("rowTag", "invoice");
    assertThat(byName.get("budget_xlsx").options()).containsEntry("sheetName", "2024");
    DatasetSpec warehouse = byName.get("warehouse_orders");
    assertThat(warehouse.table()).contains("ORDERS");
    assertThat(warehouse.options()).containsEntry("database", "SHOP").containsEntry("schema", "PUBLIC");
    assertThat(byName.get("nested_events").schema()).containsExactly(
        new DatasetSpec.Column("id", "long", false),
        new DatasetSpec.Column("payload", "struct<kind:string,`item count`:integer>", true),
        new DatasetSpec.Column("tags", "array<string>", true),
        new DatasetSpec.Column("scores", "map<string,double>", true));
  }

  @Test
  void aPipelineReadsWithTheProblemsOfItsFiles() {
    PipelineRead all = files.readPipeline("all_gems");
    assertThat(all.graph()).hasValueSatisfying(g -> assertThat(g.gems()).hasSize(19));
    assertThat(files.pipeline("ghost")).isEmpty();
    assertThat(files.pipeline("broken")).isEmpty();
    PipelineRead unlisted = files.readPipeline("unlisted_one");
    assertThat(unlisted.graph()).isPresent();
    assertThat(unlisted.diagnostics()).singleElement().satisfies(d -> assertThat(d.message()).contains("not listed"));
    assertThat(files.readPipeline("nowhere").diagnostics()).singleElement()
        .satisfies(d -> assertThat(d.message()).contains("neither listed", "nor on disk"));
  }

  @Test
  void rewritingUnchangedPipelinesChangesNoFile() throws Exception {
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    List<Path> watched;
    try (Stream<Path> walk = Files.walk(root)) {
      watched = walk.filter(Files::isRegularFile).toList();
    }
    for (Path p : watched) {
      Files.setLastModifiedTime(p, old);
    }
    Map<Path, byte[]> before = new HashMap<>();
    for (Path p : watched) {
      before.put(p, Files.readAllBytes(p));
    }
    for (String name : List.of("all_gems", "transpiled", "dbfs_report", "no_dataset")) {
      PipelineGraph g = files.pipeline(name).orElseThrow();
      files.putPipeline(g, "someone-else@example.com", Optional.empty());
    }
    for (Path p : watched) {
      assertThat(Files.readAllBytes(p)).as(root.relativize(p).toString()).isEqualTo(before.get(p));
      assertThat(Files.getLastModifiedTime(p)).as(root.relativize(p).toString()).isEqualTo(old);
    }
    // Setting a value to what it is, and re-listing a job as it is, change nothing either.
    files.setIndexValue(List.of("version"), com.fasterxml.jackson.databind.node.TextNode.valueOf("0.3.1"));
    files.putJob("nightly", (com.fasterxml.jackson.databind.node.ObjectNode) files.jobs().get("nightly"));
    assertThat(Files.getLastModifiedTime(root.resolve("pbt_project.yml"))).isEqualTo(old);
  }

  static PipelineGraph daily() {
    return PipelineGraph.of("daily_revenue", p -> p
        .source("Orders", "orders")
        .source("Customers", "customers")
        .join("WithCustomer", "Orders", "Customers", "in0.customer_id = in1.customer_id")
        .filter("Paid", "WithCustomer", "amount > 0")
        .aggregate("ByCountry", "Paid", a -> a.groupBy("country").agg("revenue", "sum(amount)"))
        .target("Revenue", "ByCountry", "order_report"));
  }

  @Test
  void addingAPipelineInsertsOnlyItsEntry() throws Exception {
    String before = Files.readString(root.resolve("pbt_project.yml"));
    PipelineGraph built = daily();
    files.putPipeline(built, "alice@example.com", Optional.of("Revenue by country: daily"));
    String after = Files.readString(root.resolve("pbt_project.yml"));
    TextDiff diff = TextDiff.of(before, after);
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.added()).containsExactly(
        "  pipelines/daily_revenue:",
        "    name: daily_revenue",
        "    description: 'Revenue by country: daily'",
        "    author: alice@example.com",
        "    mode: batch",
        "    artefactID: ''",
        "    language: python",
        "    createdAt: '2024-06-01 12:00:00'",
        "    modifiedAt: '2024-06-01 12:00:00'",
        "    datasets:",
        "      inputs:",
        "      - datasets/customers",
        "      - datasets/orders",
        "      outputs:",
        "      - datasets/order_report",
        "    subgraphs: []",
        "    dependencies: {}");
    // It goes after the last pipeline, before the datasets.
    assertThat(after.split("\n")[diff.line() - 1 + diff.added().size()]).isEqualTo("datasets:");

    Path folder = root.resolve("pipelines/daily_revenue");
    assertThat(Files.readString(folder.resolve("code/.prophecy/workflow.latest.json"))).isEqualTo(WorkflowWriter.write(built));
    assertThat(Files.readString(folder.resolve("pbt_aspects.yml")))
        .isEqualTo("version: 1\nconfigurations:\n- default\ndependencies: []\npipelineVersion:\n  version: '2'\n");
    assertThat(files.pipeline("daily_revenue")).contains(built);
    assertThat(files.pipelines()).anySatisfy(i -> {
      assertThat(i.name()).isEqualTo("daily_revenue");
      assertThat(i.inputs()).containsExactly("customers", "orders");
      assertThat(i.outputs()).containsExactly("order_report");
    });
    assertThat(files.problems()).noneMatch(d -> d.location().orElse("").contains("daily_revenue"));
  }

  @Test
  void changingAPipelineRewritesOnlyTheLinesOfItsEntryThatChange() throws Exception {
    String before = Files.readString(root.resolve("pbt_project.yml"));
    PipelineGraph replacement = PipelineGraph.of("transpiled", p -> p
        .source("Orders", "orders")
        .target("Returns", "Orders", "returns"));
    files.putPipeline(replacement, "bob@example.com", Optional.empty());
    String after = Files.readString(root.resolve("pbt_project.yml"));
    TextDiff diff = TextDiff.of(before, after);
    assertThat(diff.removed()).containsExactly("      - datasets/customers", "      - datasets/orders", "      outputs:",
        "      - datasets/order_report", "    subgraphs: []", "    dependencies: {}");
    assertThat(diff.added()).containsExactly("      - datasets/orders", "      outputs:", "      - datasets/returns",
        "    subgraphs: []", "    dependencies: {}", "    modifiedAt: '2024-06-01 12:00:00'");
    assertThat(after).contains("  pipelines/transpiled:\n    name: transpiled\n    description: ''\n    author: someone@example.com\n");
    assertThat(files.pipeline("transpiled")).contains(replacement);
  }

  @Test
  void removingPipelinesRemovesTheirEntriesAndFolders() throws Exception {
    String before = Files.readString(root.resolve("pbt_project.yml"));
    assertThat(files.removePipeline("dbfs_report")).isTrue();
    String after = Files.readString(root.resolve("pbt_project.yml"));
    TextDiff diff = TextDiff.of(before, after);
    assertThat(diff.added()).isEmpty();
    assertThat(diff.removed()).hasSize(16).startsWith("  pipelines/dbfs_report:").endsWith("    dependencies: {}");
    assertThat(root.resolve("pipelines/dbfs_report")).doesNotExist();
    assertThat(files.removePipeline("dbfs_report")).isFalse();
    for (String name : List.of("all_gems", "transpiled", "no_dataset", "broken", "ghost", "unlisted_one")) {
      assertThat(files.removePipeline(name)).as(name).isTrue();
    }
    String empty = Files.readString(root.resolve("pbt_project.yml"));
    assertThat(empty).contains("\npipelines: {}\ndatasets:\n");
    assertThat(TextDiff.of(before, empty).removed()).noneMatch(l -> !l.startsWith("  ") && !l.startsWith("pipelines:"));
    assertThat(files.pipelines()).isEmpty();
    assertThat(root.resolve("pipelines")).isEmptyDirectory();
  }

  @Test
  void aScalaProjectTakesScalaPipelines() throws Exception {
    Path scala = copy("scala_shop");
    ProjectFiles s = new ProjectFiles(scala, tmp.resolve("locks/scala.lock"), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(s.problems()).isEmpty();
    assertThat(s.datasets()).extracting(DatasetSpec::name).containsExactly("orders", "rated_orders");
    PipelineGraph built = PipelineGraph.of("checked", p -> p.language("scala")
        .source("Orders", "orders")
        .script("Check", List.of("Orders"), "val out0 = in0")
        .target("Out", "Check", "rated_orders"));
    s.putPipeline(built, "someone@example.com", Optional.empty());
    assertThat(s.pipeline("checked")).contains(built);
    assertThat(Files.readString(scala.resolve("pipelines/checked/pbt_aspects.yml")))
        .isEqualTo("version: 1\nconfigurations:\n- default\npipelineVersion:\n  version: '2'\n");
    assertThat(Files.readString(scala.resolve("pbt_project.yml"))).contains("    language: scala\n    createdAt: '2024-06-01 12:00:00'");
  }
}

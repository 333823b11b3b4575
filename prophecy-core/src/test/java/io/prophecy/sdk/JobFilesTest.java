package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.DatasetSpec.Column;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SettingType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fabric kind's own files for a job (Databricks: code/databricks-job.json), written and removed by core. */
class JobFilesTest {
  /** A kind whose jobs keep one file naming the job, its fabric and the fabric's {@code size} setting. */
  static final class Scheduling implements FabricProvider {
    final List<FabricConfig> asked = new ArrayList<>();
    volatile String path = "code/job.json";

    @Override
    public String kind() {
      return "scheduling";
    }

    @Override
    public FabricDescriptor describe() {
      return FabricDescriptor.builder().kind("scheduling").displayName("Scheduling engine")
          .addSettings(Setting.optional("size", SettingType.STRING, "small", "Cluster size of jobs")).build();
    }

    @Override
    public FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
      throw new UnsupportedOperationException("this test kind does not connect");
    }

    @Override
    public SortedMap<String, String> jobFiles(JobSpec job, FabricConfig fabric) {
      asked.add(fabric);
      if (job.jobSize().filter("huge"::equals).isPresent()) {
        throw new InvalidInputException("job.jobSize", "the fabric has no preset 'huge'");
      }
      SortedMap<String, String> out = new TreeMap<>();
      out.put(path, "{\"job\": \"" + job.name() + "\", \"fabric\": \"" + fabric.fabricId() + "\", \"size\": \""
          + fabric.setting("size").orElse("") + "\"}\n");
      return out;
    }
  }

  @TempDir Path home;
  Prophecy prophecy;
  Project project;
  Fabric fabric;
  final Scheduling provider = new Scheduling();

  @BeforeEach
  void open() {
    prophecy = Prophecy.builder().home(home).register(provider).build();
    Team team = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics");
    fabric = team.fabrics().create(FabricSpec.builder().kind("scheduling").name("prod").putSettings("size", "large").build());
    project = team.projects().create("shop");
    project.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
        .addSchema(Column.of("id", "long")).build());
    project.datasets().create(DatasetSpec.builder().name("copy").format("parquet").path("out/copy").build());
    project.pipelines().create("daily", p -> p.source("Orders", "orders").target("Copy", "Orders", "copy"));
  }

  @AfterEach
  void close() {
    prophecy.close();
  }

  @Test
  void aJobKeepsItsKindsFilesInItsFolderUntilItIsDeleted() throws Exception {
    Job job = project.jobs().create(JobSpec.builder().name("nightly").fabric("prod").addPipelines("daily").build());
    Path file = project.workingCopy().resolve("jobs/nightly/code/job.json");
    assertThat(file).content().isEqualTo("{\"job\": \"nightly\", \"fabric\": \"" + fabric.info().id()
        + "\", \"size\": \"large\"}\n");
    assertThat(provider.asked).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("prod");
      assertThat(c.kind()).isEqualTo("scheduling");
      assertThat(c.team()).isEqualTo("analytics");
    });
    job.delete();
    assertThat(project.workingCopy().resolve("jobs/nightly")).doesNotExist();
    assertThat(project.jobs().list()).isEmpty();
  }

  @Test
  void aJobTheKindRefusesIsNotCreatedAndLeavesNothing() {
    assertThatThrownBy(() -> project.jobs().create(JobSpec.builder().name("big").fabric("prod").addPipelines("daily")
        .jobSize("huge").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("job.jobSize").hasMessageContaining("huge");
    assertThat(project.jobs().list()).isEmpty();
    assertThat(project.workingCopy().resolve("jobs/big")).doesNotExist();
  }

  @Test
  void aFileOutsideTheJobsFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
    provider.path = "../../pbt_project.yml";
    String index = Files.readString(project.workingCopy().resolve("pbt_project.yml"));
    assertThatThrownBy(() -> project.jobs().create(JobSpec.builder().name("escape").fabric("prod")
        .addPipelines("daily").build()))
        .isInstanceOf(ProphecyException.class).hasMessageContaining("leaves the folder of job 'escape'");
    assertThat(project.workingCopy().resolve("pbt_project.yml")).content().isEqualTo(index);
    assertThat(project.jobs().list()).isEmpty();
  }
}

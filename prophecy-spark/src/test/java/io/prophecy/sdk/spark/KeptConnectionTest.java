package io.prophecy.sdk.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.pipeline.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark context a run starts outlives the run: the SDK keeps the fabric connection, so the next
 * run starts no Spark; closing the {@code Prophecy} instance stops it.
 */
class KeptConnectionTest {
  @TempDir Path home;

  static String activeApplication() {
    var active = SparkSession.getDefaultSession();
    return active.isDefined() && !active.get().sparkContext().isStopped() ? active.get().sparkContext().applicationId()
        : null;
  }

  @Test
  void theSecondRunUsesTheSparkContextOfTheFirstAndClosingStopsIt() throws Exception {
    assertThat(activeApplication()).as("no Spark context runs before the test").isNull();
    String first;
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      Team team = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics");
      Fabric dev = team.fabrics().create(FabricSpec.builder().kind("spark").name("dev")
          .putSettings("master", "local[1]").build());
      Project project = team.projects().create("kept");
      Path data = project.workingCopy().resolve("data/numbers.csv");
      Files.createDirectories(data.getParent());
      Files.writeString(data, "n\n1\n2\n3\n");
      project.datasets().create(DatasetSpec.builder().name("numbers").format("csv").path("data/numbers.csv")
          .putOptions("header", "true").addSchema(DatasetSpec.Column.of("n", "int")).build());
      Pipeline p = project.pipelines().create("odd", b -> b.source("Numbers", "numbers").filter("Odd", "Numbers", "n % 2 = 1"));

      Run one = p.run(dev).await();
      assertThat(one.status()).as("%s", one.failure()).isEqualTo(RunRecord.Status.SUCCEEDED);
      first = activeApplication();
      assertThat(first).as("the context stays up after the run").isNotNull();

      Run two = p.run(dev).await();
      assertThat(two.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
      assertThat(two.metrics()).filteredOn(m -> m.gem().equals("Odd")).singleElement()
          .satisfies(m -> assertThat(m.rows()).isEqualTo(2));
      assertThat(activeApplication()).isEqualTo(first);
      assertThat(p.validate(dev)).filteredOn(Diagnostic::isError).isEmpty();
      assertThat(activeApplication()).isEqualTo(first);
    }
    assertThat(activeApplication()).as("closing Prophecy stops the context it started").isNull();
  }
}

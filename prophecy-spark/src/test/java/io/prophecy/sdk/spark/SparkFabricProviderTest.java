package io.prophecy.sdk.spark;

import static io.prophecy.sdk.spark.SparkFixtures.SPARK_SQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider as the SDK sees it: discovered, described, and usable through the Prophecy API. */
class SparkFabricProviderTest {
  @TempDir Path home;

  @Test
  void theProviderIsDiscoveredThroughServiceLoader() {
    assertThat(ServiceLoader.load(FabricProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(SparkFabricProvider.class);
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      assertThat(prophecy.fabricKinds()).contains("spark");
      assertThat(prophecy.fabricKind("spark").displayName()).contains("Spark");
    }
  }

  @Test
  void itDescribesItsSettingsWithDefaultsAndTakesNoCredentials() {
    FabricDescriptor d = new SparkFabricProvider().describe();

    assertThat(d.kind()).isEqualTo("spark");
    assertThat(d.credentials()).isEmpty();
    assertThat(d.capabilities()).containsExactly(Capability.INTERACTIVE_SQL);
    assertThat(d.settings()).extracting(Setting::name).containsExactly("master", "ui", "conf", "warehouse",
        "workDirectory", "pathMappings", "storeSamples");
    assertThat(d.settings()).noneMatch(Setting::required).noneMatch(Setting::secret);
    assertThat(d.setting("master").orElseThrow().defaultValue()).contains("local[*]");
    assertThat(d.setting("ui").orElseThrow().defaultValue()).contains("false");
    assertThat(d.setting("storeSamples").orElseThrow().defaultValue()).contains("false");
  }

  @Test
  void aSparkFabricCreatedThroughTheSdkConnectsAndRunsSql() throws Exception {
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      prophecy.users().create("alice@example.com");
      ProphecySession alice = prophecy.as("alice@example.com");
      Team team = alice.teams().create("analytics");
      assertThatThrownBy(() -> team.fabrics().create(FabricSpec.builder().kind("spark").name("bad")
          .putSettings("ui", "sometimes").build()))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("fabric.settings.ui");
      Fabric dev = team.fabrics().create(FabricSpec.builder().kind("spark").name("dev")
          .putSettings("pathMappings", "dbfs:/=" + home.resolve("dbfs")).build());
      assertThat(dev.info().spec().settings()).containsEntry("master", "local[*]").containsEntry("storeSamples", "false");

      try (FabricConnection c = dev.connect();
          var session = c.openSession(SessionOptions.of(SPARK_SQL))) {
        ExecutionResult r = session.submit(new CodeUnit("q", SPARK_SQL, "SELECT 'hello' AS greeting"))
            .await(SparkFixtures.WAIT);
        assertThat(r.tables().get(0).rows()).containsExactly(List.of("hello"));
      }
      assertThat(home.resolve("fabrics").resolve(dev.info().id())).isDirectory();
    }
  }
}

package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.internal.DatabricksSettings;
import io.prophecy.sdk.spi.FabricConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fabric setting jobSizes: presets read, checked with errors naming the setting, preset and field. */
class JobSizesTest {
  static final String BASE = "\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\"";

  @Test
  void presetsAreReadAndGiveTheirClusterWithSortedMaps() {
    JobSizes sizes = JobSizes.parse("{\"small\":{" + BASE + ",\"num_workers\":1,"
        + "\"spark_conf\":{\"spark.z\":\"1\",\"spark.a\":\"2\"},\"custom_tags\":{\"team\":\"shop\"}},"
        + "\"medium\":{\"spark_version\":\"15.4.x-scala2.12\",\"instance_pool_id\":\"pool-1\","
        + "\"autoscale\":{\"min_workers\":2,\"max_workers\":8},\"autotermination_minutes\":20,"
        + "\"aws_attributes\":{\"availability\":\"SPOT_WITH_FALLBACK\"}}}");

    assertThat(sizes.names()).containsExactly("medium", "small");
    assertThat(sizes.cluster("small", "x").toString()).isEqualTo("{\"spark_version\":\"15.4.x-scala2.12\","
        + "\"node_type_id\":\"i3.xlarge\",\"num_workers\":1,\"spark_conf\":{\"spark.a\":\"2\",\"spark.z\":\"1\"},"
        + "\"custom_tags\":{\"team\":\"shop\"}}");
    assertThat(sizes.cluster("medium", "x").path("autoscale").path("max_workers").asInt()).isEqualTo(8);
    // a copy each time: changing it changes no preset
    sizes.cluster("small", "x").put("num_workers", 99);
    assertThat(sizes.cluster("small", "x").path("num_workers").asInt()).isEqualTo(1);
    assertThat(JobSizes.parse(" ")).isEqualTo(JobSizes.none());
    assertThat(sizes.toString()).isEqualTo("JobSizes[medium, small]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "[1] | fabric.settings.jobSizes | must be a JSON object",
      "{\"small\": | fabric.settings.jobSizes | is not JSON",
      "{\"small\":3} | fabric.settings.jobSizes.small | must be an object",
      "{\"small\":{" + BASE + ",\"num_worker\":1}} | fabric.settings.jobSizes.small.num_worker | is not a cluster field",
      "{\"small\":{\"node_type_id\":\"i3.xlarge\",\"num_workers\":1}} | fabric.settings.jobSizes.small.spark_version"
          + " | is missing",
      "{\"small\":{\"spark_version\":\"15.4.x-scala2.12\",\"num_workers\":1}} | fabric.settings.jobSizes.small"
          + ".node_type_id | is missing",
      "{\"small\":{" + BASE + "}} | fabric.settings.jobSizes.small.num_workers | give num_workers, or autoscale",
      "{\"small\":{" + BASE + ",\"num_workers\":1,\"autoscale\":{\"min_workers\":1,\"max_workers\":2}}}"
          + " | fabric.settings.jobSizes.small.autoscale | both set",
      "{\"small\":{" + BASE + ",\"num_workers\":-1}} | fabric.settings.jobSizes.small.num_workers | give a whole"
          + " number, 0 or more",
      "{\"small\":{" + BASE + ",\"num_workers\":\"2\"}} | fabric.settings.jobSizes.small.num_workers | is \"2\"",
      "{\"small\":{" + BASE + ",\"autoscale\":{\"min_workers\":5,\"max_workers\":2}}} | fabric.settings.jobSizes"
          + ".small.autoscale | do not make a range",
      "{\"small\":{" + BASE + ",\"autoscale\":{\"min_workers\":1}}} | fabric.settings.jobSizes.small.autoscale"
          + " | give {\"min_workers\"",
      "{\"small\":{" + BASE + ",\"num_workers\":1,\"spark_conf\":{\"spark.x\":1}}} | fabric.settings.jobSizes.small"
          + ".spark_conf | give a object of text values",
      "{\"small\":{" + BASE + ",\"num_workers\":1,\"enable_elastic_disk\":\"yes\"}} | fabric.settings.jobSizes.small"
          + ".enable_elastic_disk | give a true or false",
      "{\"sm all\":{" + BASE + ",\"num_workers\":1}} | fabric.settings.jobSizes | preset name 'sm all'"})
  void badPresetsAreRefusedNamingTheSettingPresetAndField(String json, String location, String words) {
    assertThatThrownBy(() -> JobSizes.parse(json)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(words)
        .satisfies(e -> assertThat(((InvalidInputException) e).location()).isEqualTo(location));
  }

  @Test
  void anUnknownPresetListsThoseThereAre() {
    JobSizes sizes = JobSizes.parse("{\"small\":{" + BASE + ",\"num_workers\":1}}");
    assertThatThrownBy(() -> sizes.cluster("large", "job.jobSize")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("job.jobSize: names the job size 'large'").hasMessageContaining("[small]");
    assertThatThrownBy(() -> JobSizes.none().cluster("large", "job.jobSize"))
        .hasMessageContaining("the fabric has no presets");
  }

  @Test
  void theFabricSettingIsReadWithTheOthersAndCheckedWhenTheFabricConnects() {
    FabricConfig ok = FabricConfig.builder().fabricId("f1").name("dev").kind("databricks").team("shop")
        .putSettings("workspaceUrl", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com")
        .putSettings("jobSizes", "{\"small\":{" + BASE + ",\"num_workers\":1}}").build();
    assertThat(DatabricksSettings.from(ok).jobSizes().names()).containsExactly("small");

    FabricConfig bad = FabricConfig.builder().from(ok).putSettings("jobSizes", "{\"small\":{" + BASE + "}}").build();
    assertThatThrownBy(() -> DatabricksSettings.from(bad)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("fabric.settings.jobSizes.small.num_workers:");
  }
}

package io.prophecy.sdk.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import org.junit.jupiter.api.Test;

class SparkPathsTest {
  private static final String MAPPINGS = "dbfs:/=/data/dbfs; s3://bucket/=/data/s3/ ;s3://bucket/deep=/deep;/Volumes=/vol";

  @Test
  void theLongestMatchingPrefixIsReplacedWithOneSlashBetween() {
    assertThat(SparkPaths.map("dbfs:/data/orders.csv", MAPPINGS)).isEqualTo("/data/dbfs/data/orders.csv");
    assertThat(SparkPaths.map("s3://bucket/x/y", MAPPINGS)).isEqualTo("/data/s3/x/y");
    assertThat(SparkPaths.map("s3://bucket/deep/z", MAPPINGS)).isEqualTo("/deep/z");
    assertThat(SparkPaths.map("/Volumes/main/a", MAPPINGS)).isEqualTo("/vol/main/a");
    assertThat(SparkPaths.map("dbfs:/", MAPPINGS)).isEqualTo("/data/dbfs");
  }

  @Test
  void aPrefixMatchesWholeSegmentsOnly() {
    assertThat(SparkPaths.map("s3://bucket/deeper/z", MAPPINGS)).isEqualTo("/data/s3/deeper/z");
    assertThat(SparkPaths.map("/VolumesX/a", MAPPINGS)).isEqualTo("/VolumesX/a");
    assertThat(SparkPaths.map("/tmp/a", MAPPINGS)).isEqualTo("/tmp/a");
    assertThat(SparkPaths.map("/tmp/a", null)).isEqualTo("/tmp/a");
    assertThat(SparkPaths.map("/tmp/a", " ")).isEqualTo("/tmp/a");
  }

  @Test
  void aMalformedEntryIsNamed() {
    assertThatThrownBy(() -> SparkPaths.map("/a", "dbfs:/=/x;nonsense"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fabric.settings.pathMappings")
        .hasMessageContaining("'nonsense'");
    assertThatThrownBy(() -> SparkPaths.check("=/x")).isInstanceOf(InvalidInputException.class);
  }
}

package io.prophecy.sdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
  @TempDir Path home;

  @Test
  void theQuickstartRunsThePipelineOnEmbeddedSparkAndWritesTheProject() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.run(home, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("run SUCCEEDED");
    // row counts worked out by hand from the sample files: 20 orders, 16 paid, one for an unknown customer
    assertThat(out).containsPattern("Orders\\s+20\\s")
        .containsPattern("Customers\\s+8\\s")
        .containsPattern("Paid\\s+16\\s")
        .containsPattern("With_Customer\\s+15\\s")
        .containsPattern("By_Country\\s+4\\s")
        .containsPattern("Revenue\\s+4\\s");
    assertThat(out).containsPattern("\\| US +\\| 6 +\\| 953.74 +\\|")
        .containsPattern("\\| GB +\\| 5 +\\| 457.49 +\\|")
        .containsPattern("\\| DE +\\| 3 +\\| 376.35 +\\|")
        .containsPattern("\\| NL +\\| 1 +\\| 180.00 +\\|")
        .contains("Top_First: 4 of 4 rows");
    assertThat(out.indexOf("| US")).isLessThan(out.indexOf("| GB"));
    Path project;
    try (var found = Files.walk(home.resolve("projects"))) {
      project = found.filter(p -> p.getFileName().toString().equals("shop")).findFirst().orElseThrow();
    }
    assertThat(out).contains("project written in Prophecy's layout at " + project);
    assertThat(project.resolve("pipelines/daily_revenue/code/.prophecy/workflow.latest.json")).exists();
    assertThat(project.resolve("datasets/orders/default/configs/dataset.json")).exists();
    assertThat(Files.readString(project.resolve("pbt_project.yml"))).contains("pipelines/daily_revenue");
    try (var parts = Files.list(project.resolve("out/revenue"))) {
      assertThat(parts.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));
    }
  }
}

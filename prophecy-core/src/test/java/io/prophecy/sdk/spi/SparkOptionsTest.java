package io.prophecy.sdk.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.model.DatasetSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SparkOptionsTest {
  private static DatasetSpec csv(Map<String, String> options) {
    return DatasetSpec.builder().name("orders").format("csv").path("/data/orders").putAllOptions(options).build();
  }

  @Test
  void prophecysSeparatorBecomesSepAndTheWritersOptionsStayOut() {
    DatasetSpec d = csv(Map.of("header", "true", "separator", ";", "writeMode", "overwrite",
        "partitionColumns", "region"));
    assertThat(SparkOptions.of(d)).containsOnly(Map.entry("header", "true"), Map.entry("sep", ";"));
  }

  @Test
  void anExplicitSepOrDelimiterWinsOverSeparator() {
    assertThat(SparkOptions.of(csv(Map.of("separator", ";", "sep", "|")))).containsOnly(Map.entry("sep", "|"));
    assertThat(SparkOptions.of(csv(Map.of("separator", ";", "delimiter", "\t"))))
        .containsOnly(Map.entry("delimiter", "\t"));
  }

  @Test
  void partitionColumnsReadAsAListOrAsJson() {
    assertThat(SparkOptions.partitionColumns(csv(Map.of("partitionColumns", " region, year "))))
        .containsExactly("region", "year");
    assertThat(SparkOptions.partitionColumns(csv(Map.of("partitionColumns", "[\"region\", 'year']"))))
        .containsExactly("region", "year");
    assertThat(SparkOptions.partitionColumns(csv(Map.of("partitionColumns", "[]")))).isEmpty();
    assertThat(SparkOptions.partitionColumns(csv(Map.of()))).isEmpty();
  }

  @Test
  void terminalsAreTheWritesAndTheStepsNothingReads() {
    PipelinePlan.Step read = step("Orders", PipelinePlan.Kind.READ, List.of());
    PipelinePlan.Step big = step("Big", PipelinePlan.Kind.TRANSFORM, List.of("Orders"));
    PipelinePlan.Step side = step("Side", PipelinePlan.Kind.TRANSFORM, List.of("Orders"));
    PipelinePlan.Step out = step("Out", PipelinePlan.Kind.WRITE, List.of("Big"));
    PipelinePlan plan = new PipelinePlan("p", List.of(read, big, side, out), 10, true);
    assertThat(plan.terminals()).containsExactly(2, 3);
  }

  private static PipelinePlan.Step step(String gem, PipelinePlan.Kind kind, List<String> inputs) {
    return new PipelinePlan.Step(gem, kind, gem, "SELECT 1", Optional.empty(), Optional.empty(), false, inputs,
        List.of());
  }
}

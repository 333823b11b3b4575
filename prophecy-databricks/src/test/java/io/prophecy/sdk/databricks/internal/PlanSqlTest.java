package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PipelinePlan.Step;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SQL each kind of step becomes on a cluster's SQL context, and what it refuses. */
class PlanSqlTest {
  private static Step write(DatasetSpec d, String mode) {
    return new Step("Out", PipelinePlan.Kind.WRITE, "By_Country", "SELECT * FROM `By_Country`", Optional.of(d),
        Optional.of(mode), false, List.of("By_Country"), List.of());
  }

  private static DatasetSpec path(String format, String... options) {
    DatasetSpec.Builder b = DatasetSpec.builder().name("out").format(format).path("/data/it's out");
    for (int i = 0; i < options.length; i += 2) {
      b.putOptions(options[i], options[i + 1]);
    }
    return b.build();
  }

  private static DatasetSpec table() {
    return DatasetSpec.builder().name("t").format("catalogTable").table("main.sales.revenue").build();
  }

  @Test
  void aFilePathIsOverwrittenAsADirectoryWithItsOptionsAndQuotedPath() throws Exception {
    assertThat(PlanSql.write(write(path("csv", "header", "true", "separator", ";", "writeMode", "overwrite"), "overwrite")))
        .isEqualTo("INSERT OVERWRITE DIRECTORY '/data/it\\'s out' USING csv OPTIONS (`header` 'true', `sep` ';')\n"
            + "SELECT * FROM `By_Country`");
  }

  @Test
  void catalogTablesAndDeltaPathsTakeEveryWriteModeAndPartitions() throws Exception {
    String create = "CREATE TABLE IF NOT EXISTS `main`.`sales`.`revenue` AS\nSELECT * FROM (SELECT * FROM `By_Country`)"
        + " LIMIT 0;\n";
    assertThat(PlanSql.write(write(table(), "overwrite"))).isEqualTo(create
        + "INSERT OVERWRITE TABLE `main`.`sales`.`revenue`\nSELECT * FROM `By_Country`");
    assertThat(PlanSql.write(write(table(), "append"))).isEqualTo(create
        + "INSERT INTO TABLE `main`.`sales`.`revenue`\nSELECT * FROM `By_Country`");
    assertThat(PlanSql.write(write(table(), "error"))).isEqualTo("CREATE TABLE `main`.`sales`.`revenue` AS\nSELECT * FROM `By_Country`");
    assertThat(PlanSql.write(write(table(), "ignore"))).isEqualTo(
        "CREATE TABLE IF NOT EXISTS `main`.`sales`.`revenue` AS\nSELECT * FROM `By_Country`");
    DatasetSpec parquetTable = DatasetSpec.builder().from(table()).putOptions("provider", "parquet").build();
    assertThat(PlanSql.write(write(parquetTable, "error"))).isEqualTo(
        "CREATE TABLE `main`.`sales`.`revenue` USING parquet AS\nSELECT * FROM `By_Country`");
    assertThat(PlanSql.write(write(path("delta", "partitionColumns", "[\"country\", \"day\"]"), "overwrite"))).isEqualTo(
        "CREATE TABLE IF NOT EXISTS delta.`/data/it's out` USING delta PARTITIONED BY (`country`, `day`) AS\n"
            + "SELECT * FROM (SELECT * FROM `By_Country`) LIMIT 0;\n"
            + "INSERT OVERWRITE delta.`/data/it's out`\nSELECT * FROM `By_Country`");
    assertThat(PlanSql.write(write(path("delta"), "append"))).endsWith(";\nINSERT INTO delta.`/data/it's out`\n"
        + "SELECT * FROM `By_Country`");
  }

  @Test
  void whatSqlCannotWriteToAPathIsRefusedNamingTheField() {
    assertThatThrownBy(() -> PlanSql.write(write(path("parquet"), "append"))).isInstanceOf(PlanSql.Unsupported.class)
        .hasMessageContaining("writeMode 'append' to a parquet path")
        .satisfies(e -> assertThat(((PlanSql.Unsupported) e).field).isEqualTo("writeMode"));
    assertThatThrownBy(() -> PlanSql.write(write(path("parquet", "partitionColumns", "country"), "overwrite")))
        .satisfies(e -> assertThat(((PlanSql.Unsupported) e).field).isEqualTo("partitionColumns"));
    assertThatThrownBy(() -> PlanSql.write(write(path("delta"), "merge")))
        .satisfies(e -> assertThat(((PlanSql.Unsupported) e).field).isEqualTo("writeMode"));
    assertThatThrownBy(() -> PlanSql.write(write(path("delta"), "upsert"))).hasMessageContaining("'upsert' is not one of");
  }

  @Test
  void readsAreTemporaryViewsOverTheDatasetOrTheTable() {
    Step csv = new Step("In", PipelinePlan.Kind.READ, "In", "", Optional.of(path("csv", "header", "true")),
        Optional.empty(), true, List.of(), List.of());
    assertThat(PlanSql.define(csv)).isEqualTo("CREATE OR REPLACE TEMPORARY VIEW `In` USING csv OPTIONS"
        + " (`path` '/data/it\\'s out', `header` 'true', `inferSchema` 'true')");
    Step t = new Step("T`ick", PipelinePlan.Kind.READ, "T`ick", "", Optional.of(table()), Optional.empty(), true,
        List.of(), List.of());
    assertThat(PlanSql.define(t)).isEqualTo("CREATE OR REPLACE TEMPORARY VIEW `T``ick` AS SELECT * FROM `main`.`sales`.`revenue`");
  }
}

package io.prophecy.sdk.tpch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.tpch.Engines.Table;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The queries' Spark SQL against an outside oracle: the same text run by DuckDB on the same CSV files,
 * each engine loading them with the declared schema. See {@link Compare} for the comparison rules.
 */
class TpchOracleTest {
  static final List<Integer> QUERIES = TpchQueries.NUMBERS;

  private static SparkSession spark;
  private static Connection duckdb;

  @BeforeAll
  static void start() throws SQLException {
    Path data = Engines.data();
    spark = Engines.spark("tpch-oracle");
    Engines.registerSpark(spark, data);
    duckdb = Engines.duckdb(data);
  }

  @AfterAll
  static void stop() throws SQLException {
    if (duckdb != null) {
      duckdb.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  @ParameterizedTest(name = "Q{0}")
  @FieldSource("QUERIES")
  void sparkAndDuckDbGiveTheSameRows(int query) throws SQLException {
    Table onSpark = Engines.collect(spark.sql(TpchQueries.sql(query)));
    Table onDuckDb = Engines.query(duckdb, TpchQueries.sql(query));

    assertThat(onSpark.rows()).as("Q" + query + " returns rows").isNotEmpty();
    Compare.acrossEngines("Q" + query, onSpark, onDuckDb);
  }

  @Test
  void theResultsAreNotTrivial() throws SQLException {
    // Q1: every flag and status the date rules allow before the cut-off (A/F, N/F, N/O, R/F)
    Table q1 = Engines.query(duckdb, TpchQueries.sql(1));
    assertThat(q1.rows()).extracting(r -> r.get(0) + "/" + r.get(1)).containsExactly("A/F", "N/F", "N/O", "R/F");
    // Q3 and Q10 fill their limits; Q5 names Asian nations only; Q12 has both ship modes
    assertThat(Engines.query(duckdb, TpchQueries.sql(3)).rows()).hasSize(10);
    assertThat(Engines.query(duckdb, TpchQueries.sql(10)).rows()).hasSize(20);
    assertThat(Compare.column(Engines.query(duckdb, TpchQueries.sql(5)), "n_name"))
        .isNotEmpty().isSubsetOf("CHINA", "INDIA", "INDONESIA", "JAPAN", "VIETNAM");
    assertThat(Compare.column(Engines.query(duckdb, TpchQueries.sql(12)), "l_shipmode")).containsExactly("MAIL", "SHIP");
    Object q6 = Compare.value(Engines.query(duckdb, TpchQueries.sql(6)), 0, "revenue");
    assertThat((BigDecimal) q6).isPositive();
  }
}

package io.prophecy.sdk.tpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator: determinism, the specification's row counts, and its value rules checked by DuckDB. */
class TpchDataTest {
  private static Connection duckdb;

  @BeforeAll
  static void load() throws SQLException {
    duckdb = Engines.duckdb(Engines.data());
  }

  @AfterAll
  static void close() throws SQLException {
    if (duckdb != null) {
      duckdb.close();
    }
  }

  @Test
  void theSameSeedGivesTheSameBytes(@TempDir Path first, @TempDir Path second) throws IOException {
    TpchData.of(Engines.SCALE).write(first);
    TpchData.of(Engines.SCALE, TpchData.DEFAULT_SEED).write(second);

    for (String table : TpchData.TABLES) {
      byte[] a = Files.readAllBytes(first.resolve(table + ".csv"));
      assertThat(a).as(table).isNotEmpty().isEqualTo(Files.readAllBytes(second.resolve(table + ".csv")));
      assertThat(a).as(table + " as the tests' data").isEqualTo(Files.readAllBytes(Engines.data().resolve(table + ".csv")));
    }
  }

  @Test
  void anotherSeedGivesOtherData(@TempDir Path first, @TempDir Path second) throws IOException {
    Map<String, Long> a = TpchData.of(0.002, 1).write(first);
    Map<String, Long> b = TpchData.of(0.002, 2).write(second);

    assertThat(Files.readAllBytes(first.resolve("orders.csv"))).isNotEqualTo(Files.readAllBytes(second.resolve("orders.csv")));
    assertThat(Files.readAllBytes(first.resolve("customer.csv"))).isNotEqualTo(Files.readAllBytes(second.resolve("customer.csv")));
    // the fixed lists and counts do not depend on the seed
    assertThat(a.get("orders")).isEqualTo(b.get("orders"));
    assertThat(lines(first.resolve("nation.csv")).map(l -> l.split(",")[1]).toList())
        .isEqualTo(lines(second.resolve("nation.csv")).map(l -> l.split(",")[1]).toList());
  }

  @ParameterizedTest(name = "SF {0}")
  @ValueSource(doubles = {0.0004, 0.002, 0.005, 0.01})
  void rowCountsFollowTheSpecification(double sf, @TempDir Path folder) throws IOException {
    Map<String, Long> rows = TpchData.of(sf).write(folder);

    assertThat(rows).containsEntry("region", 5L).containsEntry("nation", 25L)
        .containsEntry("supplier", Math.round(10_000 * sf))
        .containsEntry("part", Math.round(200_000 * sf))
        .containsEntry("partsupp", 4 * Math.round(200_000 * sf))
        .containsEntry("customer", Math.round(150_000 * sf))
        .containsEntry("orders", Math.round(1_500_000 * sf));
    long orders = rows.get("orders");
    // 1 to 7 lines per order, 4 on average
    assertThat(rows.get("lineitem")).isBetween(orders, 7 * orders);
    assertThat((double) rows.get("lineitem") / orders).isBetween(3.9, 4.1);
    // four distinct suppliers per part, and every line's supplier is one of its part's
    Set<String> supplies = lines(folder.resolve("partsupp.csv")).skip(1).map(l -> key(l, 0, 1)).collect(Collectors.toSet());
    assertThat(supplies).hasSize((int) (long) rows.get("partsupp"));
    assertThat(lines(folder.resolve("lineitem.csv")).skip(1).map(l -> key(l, 1, 2)).filter(k -> !supplies.contains(k)))
        .as("lines whose supplier does not supply their part").isEmpty();
    for (String table : TpchData.TABLES) {
      List<String> file = lines(folder.resolve(table + ".csv")).toList();
      assertThat(file).as(table).hasSize((int) (rows.get(table) + 1));
      assertThat(file.get(0).split(",")).as(table + " header")
          .containsExactlyElementsOf(TpchData.schema(table).stream().map(DatasetSpec.Column::name).toList());
      if (!table.equals("lineitem")) {
        assertThat(TpchData.of(sf).rowCount(table)).as(table).isEqualTo(rows.get(table));
      }
    }
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> TpchData.of(0)).hasMessageContaining("scale factor");
    assertThatThrownBy(() -> TpchData.of(Double.NaN)).hasMessageContaining("scale factor");
    assertThatThrownBy(() -> TpchData.of(0.0001)).hasMessageContaining("1 suppliers").hasMessageContaining("0.0004");
    assertThatThrownBy(() -> TpchData.of(1).rowCount("lineitem")).hasMessageContaining("1 to 7");
    assertThatThrownBy(() -> TpchData.schema("orderz")).hasMessageContaining("orderz").hasMessageContaining("lineitem");
  }

  @Test
  void theDatasetsDeclareTheFilesAndSchemas() {
    Path folder = Engines.data();
    DatasetSpec lineitem = TpchData.lookup(folder).find("datasets/lineitem").orElseThrow();
    assertThat(lineitem.format()).isEqualTo("csv");
    assertThat(lineitem.path()).contains(folder.resolve("lineitem.csv").toString());
    assertThat(lineitem.options()).containsEntry("header", "true");
    assertThat(lineitem.schema()).extracting(DatasetSpec.Column::type)
        .contains("bigint", "int", "decimal(15,2)", "string", "date");
    assertThat(TpchData.lookup(folder).find("orders")).isPresent();
    assertThat(TpchData.lookup(folder).find("datasets/nothing")).isEmpty();
  }

  /** Each rule is a condition every row must meet; the query counts the rows that break it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "lineitem | l_quantity BETWEEN 1 AND 50 AND l_quantity = round(l_quantity)",
      "lineitem | l_discount BETWEEN 0.00 AND 0.10 AND l_tax BETWEEN 0.00 AND 0.08",
      "lineitem | l_shipdate - (SELECT o_orderdate FROM orders WHERE o_orderkey = l_orderkey) BETWEEN 1 AND 121",
      "lineitem | l_commitdate - (SELECT o_orderdate FROM orders WHERE o_orderkey = l_orderkey) BETWEEN 30 AND 90",
      "lineitem | l_receiptdate - l_shipdate BETWEEN 1 AND 30",
      "lineitem | CASE WHEN l_receiptdate <= DATE '1995-06-17' THEN l_returnflag IN ('R', 'A') ELSE l_returnflag = 'N' END",
      "lineitem | CASE WHEN l_shipdate > DATE '1995-06-17' THEN l_linestatus = 'O' ELSE l_linestatus = 'F' END",
      "lineitem | l_extendedprice = l_quantity * (SELECT p_retailprice FROM part WHERE p_partkey = l_partkey)",
      "lineitem | EXISTS (SELECT 1 FROM partsupp WHERE ps_partkey = l_partkey AND ps_suppkey = l_suppkey)",
      "lineitem | l_shipmode IN ('REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB')",
      "lineitem | l_linenumber BETWEEN 1 AND 7",
      "orders | o_orderdate BETWEEN DATE '1992-01-01' AND DATE '1998-12-31' - INTERVAL 151 DAY",
      "orders | o_custkey % 3 <> 0 AND EXISTS (SELECT 1 FROM customer WHERE c_custkey = o_custkey)",
      "orders | (o_orderkey - 1) % 32 < 8",
      "orders | o_orderstatus = (SELECT CASE WHEN bool_and(l_linestatus = 'F') THEN 'F' WHEN bool_and(l_linestatus = 'O') "
          + "THEN 'O' ELSE 'P' END FROM lineitem WHERE l_orderkey = o_orderkey)",
      "orders | o_totalprice = (SELECT sum(round(l_extendedprice * (1 + l_tax) * (1 - l_discount), 2)) FROM lineitem "
          + "WHERE l_orderkey = o_orderkey)",
      "orders | o_orderpriority IN ('1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW')",
      "customer | c_mktsegment IN ('AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD')",
      "customer | c_acctbal BETWEEN -999.99 AND 9999.99 AND c_nationkey BETWEEN 0 AND 24",
      "customer | c_phone LIKE (c_nationkey + 10)::VARCHAR || '-___-___-____'",
      "part | p_retailprice * 100 = 90000 + (p_partkey // 10) % 20001 + 100 * (p_partkey % 1000)",
      "partsupp | ps_supplycost BETWEEN 1.00 AND 1000.00 AND ps_availqty BETWEEN 1 AND 9999",
      "nation | (SELECT r_name FROM region WHERE r_regionkey = n_regionkey) IS NOT NULL"
  })
  void everyRowKeepsTheSpecificationsRules(String rule) throws SQLException {
    String table = rule.substring(0, rule.indexOf('|')).trim();
    String condition = rule.substring(rule.indexOf('|') + 1).trim();
    assertThat(count("SELECT count(*) FROM " + table)).isPositive();
    assertThat(count("SELECT count(*) FROM " + table + " WHERE NOT coalesce(" + condition + ", false)"))
        .as("rows of " + table + " breaking: " + condition).isZero();
  }

  @Test
  void keysAreUniqueAndEveryListValueOccurs() throws SQLException {
    assertThat(count("SELECT count(*) - count(DISTINCT o_orderkey) FROM orders")).isZero();
    assertThat(count("SELECT count(*) - count(DISTINCT (l_orderkey, l_linenumber)) FROM lineitem")).isZero();
    assertThat(count("SELECT count(*) - count(DISTINCT (ps_partkey, ps_suppkey)) FROM partsupp")).isZero();
    assertThat(count("SELECT count(DISTINCT c_mktsegment) FROM customer")).isEqualTo(5);
    assertThat(count("SELECT count(DISTINCT l_shipmode) FROM lineitem")).isEqualTo(7);
    assertThat(count("SELECT count(DISTINCT o_orderpriority) FROM orders")).isEqualTo(5);
    assertThat(count("SELECT count(DISTINCT o_orderstatus) FROM orders")).isEqualTo(3);
    assertThat(count("SELECT count(DISTINCT l_returnflag || l_linestatus) FROM lineitem")).isEqualTo(4);
    assertThat(count("SELECT count(DISTINCT n_regionkey) FROM nation")).isEqualTo(5);
    // every supplier supplies parts, and no order of a customer whose key is a multiple of 3
    assertThat(count("SELECT count(DISTINCT ps_suppkey) FROM partsupp")).isEqualTo(count("SELECT count(*) FROM supplier"));
  }

  private static long count(String sql) throws SQLException {
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String key(String csvLine, int first, int second) {
    String[] v = csvLine.split(",");
    return v[first] + "/" + v[second];
  }

  private static Stream<String> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream();
  }
}

package io.prophecy.sdk.tpch;

import java.util.List;

/**
 * TPC-H queries 1, 3, 5, 6, 10 and 12 as Spark SQL over the tables {@code lineitem}, {@code orders},
 * {@code customer}, {@code nation}, {@code region}, {@code supplier}, {@code part} and {@code partsupp},
 * written from the specification (clause 2.4) with its validation values for the substitution
 * parameters. The text is also valid DuckDB SQL.
 *
 * <p>One deliberate change: where the specification's ORDER BY can tie (queries 3, 5 and 10), a key
 * is added at the end ({@code l_orderkey}, {@code n_name}, {@code c_custkey}) so that the order, and so
 * the rows a LIMIT keeps, is the same on every engine.
 */
public final class TpchQueries {
  /** The queries this class holds. */
  public static final List<Integer> NUMBERS = List.of(1, 3, 5, 6, 10, 12);

  private TpchQueries() {}

  /**
   * The text of a query.
   *
   * @throws IllegalArgumentException for a query this class does not hold
   */
  public static String sql(int query) {
    return switch (query) {
      case 1 -> Q1;
      case 3 -> Q3;
      case 5 -> Q5;
      case 6 -> Q6;
      case 10 -> Q10;
      case 12 -> Q12;
      default -> throw new IllegalArgumentException("TPC-H query " + query + " is not one of " + NUMBERS);
    };
  }

  /** Pricing summary report; DELTA = 90. */
  static final String Q1 = """
      SELECT l_returnflag,
             l_linestatus,
             sum(l_quantity) AS sum_qty,
             sum(l_extendedprice) AS sum_base_price,
             sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
             sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
             avg(l_quantity) AS avg_qty,
             avg(l_extendedprice) AS avg_price,
             avg(l_discount) AS avg_disc,
             count(*) AS count_order
      FROM lineitem
      WHERE l_shipdate <= date '1998-12-01' - interval '90' day
      GROUP BY l_returnflag, l_linestatus
      ORDER BY l_returnflag, l_linestatus""";

  /** Shipping priority; SEGMENT = BUILDING, DATE = 1995-03-15. */
  static final String Q3 = """
      SELECT l_orderkey,
             sum(l_extendedprice * (1 - l_discount)) AS revenue,
             o_orderdate,
             o_shippriority
      FROM customer, orders, lineitem
      WHERE c_mktsegment = 'BUILDING'
        AND c_custkey = o_custkey
        AND l_orderkey = o_orderkey
        AND o_orderdate < date '1995-03-15'
        AND l_shipdate > date '1995-03-15'
      GROUP BY l_orderkey, o_orderdate, o_shippriority
      ORDER BY revenue DESC, o_orderdate, l_orderkey
      LIMIT 10""";

  /** Local supplier volume; REGION = ASIA, DATE = 1994-01-01. */
  static final String Q5 = """
      SELECT n_name,
             sum(l_extendedprice * (1 - l_discount)) AS revenue
      FROM customer, orders, lineitem, supplier, nation, region
      WHERE c_custkey = o_custkey
        AND l_orderkey = o_orderkey
        AND l_suppkey = s_suppkey
        AND c_nationkey = s_nationkey
        AND s_nationkey = n_nationkey
        AND n_regionkey = r_regionkey
        AND r_name = 'ASIA'
        AND o_orderdate >= date '1994-01-01'
        AND o_orderdate < date '1994-01-01' + interval '1' year
      GROUP BY n_name
      ORDER BY revenue DESC, n_name""";

  /** Forecasting revenue change; DATE = 1994-01-01, DISCOUNT = 0.06, QUANTITY = 24. */
  static final String Q6 = """
      SELECT sum(l_extendedprice * l_discount) AS revenue
      FROM lineitem
      WHERE l_shipdate >= date '1994-01-01'
        AND l_shipdate < date '1994-01-01' + interval '1' year
        AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01
        AND l_quantity < 24""";

  /** Returned item reporting; DATE = 1993-10-01. */
  static final String Q10 = """
      SELECT c_custkey,
             c_name,
             sum(l_extendedprice * (1 - l_discount)) AS revenue,
             c_acctbal,
             n_name,
             c_address,
             c_phone,
             c_comment
      FROM customer, orders, lineitem, nation
      WHERE c_custkey = o_custkey
        AND l_orderkey = o_orderkey
        AND o_orderdate >= date '1993-10-01'
        AND o_orderdate < date '1993-10-01' + interval '3' month
        AND l_returnflag = 'R'
        AND c_nationkey = n_nationkey
      GROUP BY c_custkey, c_name, c_acctbal, c_phone, n_name, c_address, c_comment
      ORDER BY revenue DESC, c_custkey
      LIMIT 20""";

  /** Shipping modes and order priority; SHIPMODE1 = MAIL, SHIPMODE2 = SHIP, DATE = 1994-01-01. */
  static final String Q12 = """
      SELECT l_shipmode,
             sum(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END)
               AS high_line_count,
             sum(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END)
               AS low_line_count
      FROM orders, lineitem
      WHERE o_orderkey = l_orderkey
        AND l_shipmode IN ('MAIL', 'SHIP')
        AND l_commitdate < l_receiptdate
        AND l_shipdate < l_commitdate
        AND l_receiptdate >= date '1994-01-01'
        AND l_receiptdate < date '1994-01-01' + interval '1' year
      GROUP BY l_shipmode
      ORDER BY l_shipmode""";
}

package io.prophecy.sdk.tpch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * TPC-H queries 1, 3, 5, 6, 10 and 12 as pipelines, each in two forms that give the same rows as
 * {@link TpchQueries}: built in Java with {@link PipelineGraph#of}, and read from a Prophecy workflow
 * file ({@code tpch/workflows/q<N>.workflow.latest.json} on the class path). Sources read the datasets
 * named like the TPC-H tables; there is no Target gem: the result is the output of {@link #output}.
 *
 * <pre>{@code
 * PipelineGraph q3 = TpchPipelines.pipeline(3);
 * String sql = SparkSqlCompiler.query(q3, TpchData.lookup(folder), TpchPipelines.output(3));
 * }</pre>
 */
public final class TpchPipelines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TpchPipelines() {}

  /**
   * The pipeline of a query, built in Java.
   *
   * @throws IllegalArgumentException for a query that is not one of {@link TpchQueries#NUMBERS}
   */
  public static PipelineGraph pipeline(int query) {
    return switch (query) {
      case 1 -> q1();
      case 3 -> q3();
      case 5 -> q5();
      case 6 -> q6();
      case 10 -> q10();
      case 12 -> q12();
      default -> throw unknown(query);
    };
  }

  /** The name of the gem whose output is the query's result. */
  public static String output(int query) {
    return switch (query) {
      case 1 -> "Pricing_Summary";
      case 3 -> "Top_10";
      case 5 -> "Largest_Revenue_First";
      case 6 -> "Forecast_Revenue";
      case 10 -> "Top_20";
      case 12 -> "Shipping_Modes";
      default -> throw unknown(query);
    };
  }

  /** The pipeline's name: {@code tpch_q<N>}. */
  public static String name(int query) {
    if (!TpchQueries.NUMBERS.contains(query)) {
      throw unknown(query);
    }
    return "tpch_q" + query;
  }

  /** The class-path resource holding the query's workflow file. */
  public static String workflowResource(int query) {
    return "/tpch/workflows/q" + query + ".workflow.latest.json";
  }

  /** The query's workflow file, as JSON. */
  public static JsonNode workflowJson(int query) {
    name(query);
    String resource = workflowResource(query);
    try (InputStream in = TpchPipelines.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the workflow file " + resource + " is missing from the class path");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the workflow file " + resource + ": " + e.getMessage(), e);
    }
  }

  /** The pipeline of a query, read from its workflow file. */
  public static PipelineGraph workflow(int query) {
    return PipelineGraph.fromWorkflow(name(query), workflowJson(query));
  }

  private static IllegalArgumentException unknown(int query) {
    return new IllegalArgumentException("TPC-H query " + query + " is not one of " + TpchQueries.NUMBERS);
  }

  /** Pricing summary report. */
  private static PipelineGraph q1() {
    return PipelineGraph.of(name(1), p -> p
        .source("Lineitem", "lineitem")
        .filter("Shipped_Before", "Lineitem", "l_shipdate <= date '1998-12-01' - interval '90' day")
        .reformat("Line_Charges", "Shipped_Before", r -> r
            .columns("l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount")
            .column("disc_price", "l_extendedprice * (1 - l_discount)")
            .column("charge", "l_extendedprice * (1 - l_discount) * (1 + l_tax)"))
        .aggregate("Revenue_By_Flag", "Line_Charges", a -> a
            .groupBy("l_returnflag", "l_linestatus")
            .agg("sum_qty", "sum(l_quantity)")
            .agg("sum_base_price", "sum(l_extendedprice)")
            .agg("sum_disc_price", "sum(disc_price)")
            .agg("sum_charge", "sum(charge)")
            .agg("avg_qty", "avg(l_quantity)")
            .agg("avg_price", "avg(l_extendedprice)")
            .agg("avg_disc", "avg(l_discount)")
            .agg("count_order", "count(*)"))
        .orderBy("Pricing_Summary", "Revenue_By_Flag", o -> o.asc("l_returnflag").asc("l_linestatus")));
  }

  /** Shipping priority. */
  private static PipelineGraph q3() {
    return PipelineGraph.of(name(3), p -> p
        .source("Customer", "customer")
        .source("Orders", "orders")
        .source("Lineitem", "lineitem")
        .filter("Building_Customers", "Customer", "c_mktsegment = 'BUILDING'")
        .filter("Orders_Before", "Orders", "o_orderdate < date '1995-03-15'")
        .filter("Shipped_After", "Lineitem", "l_shipdate > date '1995-03-15'")
        .join("Customer_Orders_Lines", List.of("Building_Customers", "Orders_Before", "Shipped_After"), j -> j
            .on("in1", "in0.c_custkey = in1.o_custkey", JoinType.INNER)
            .on("in2", "in2.l_orderkey = in1.o_orderkey", JoinType.INNER)
            .columns("in2.l_orderkey", "in2.l_extendedprice", "in2.l_discount", "in1.o_orderdate", "in1.o_shippriority"))
        .aggregate("Revenue_By_Order", "Customer_Orders_Lines", a -> a
            .groupBy("l_orderkey", "o_orderdate", "o_shippriority")
            .agg("revenue", "sum(l_extendedprice * (1 - l_discount))"))
        .select("Order_Revenue", "Revenue_By_Order", "l_orderkey", "revenue", "o_orderdate", "o_shippriority")
        .orderBy("Largest_Revenue_First", "Order_Revenue", o -> o.desc("revenue").asc("o_orderdate").asc("l_orderkey"))
        .limit("Top_10", "Largest_Revenue_First", 10));
  }

  /** Local supplier volume. */
  private static PipelineGraph q5() {
    return PipelineGraph.of(name(5), p -> p
        .source("Customer", "customer")
        .source("Orders", "orders")
        .source("Lineitem", "lineitem")
        .source("Supplier", "supplier")
        .source("Nation", "nation")
        .source("Region", "region")
        .filter("Asia", "Region", "r_name = 'ASIA'")
        .filter("Orders_1994", "Orders",
            "o_orderdate >= date '1994-01-01' AND o_orderdate < date '1994-01-01' + interval '1' year")
        .join("Asian_Nations", "Nation", "Asia", "in0.n_regionkey = in1.r_regionkey")
        .join("Local_Supply", List.of("Customer", "Orders_1994", "Lineitem", "Supplier", "Asian_Nations"), j -> j
            .on("in1", "in0.c_custkey = in1.o_custkey", JoinType.INNER)
            .on("in2", "in2.l_orderkey = in1.o_orderkey", JoinType.INNER)
            .on("in3", "in2.l_suppkey = in3.s_suppkey AND in0.c_nationkey = in3.s_nationkey", JoinType.INNER)
            .on("in4", "in3.s_nationkey = in4.n_nationkey", JoinType.INNER))
        .aggregate("Revenue_By_Nation", "Local_Supply", a -> a
            .groupBy("n_name")
            .agg("revenue", "sum(l_extendedprice * (1 - l_discount))"))
        .orderBy("Largest_Revenue_First", "Revenue_By_Nation", o -> o.desc("revenue").asc("n_name")));
  }

  /** Forecasting revenue change. */
  private static PipelineGraph q6() {
    return PipelineGraph.of(name(6), p -> p
        .source("Lineitem", "lineitem")
        .filter("Shipped_1994", "Lineitem",
            "l_shipdate >= date '1994-01-01' AND l_shipdate < date '1994-01-01' + interval '1' year")
        .filter("Small_Discounted", "Shipped_1994",
            "l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01 AND l_quantity < 24")
        .aggregate("Forecast_Revenue", "Small_Discounted", a -> a.agg("revenue", "sum(l_extendedprice * l_discount)")));
  }

  /** Returned item reporting. */
  private static PipelineGraph q10() {
    return PipelineGraph.of(name(10), p -> p
        .source("Customer", "customer")
        .source("Orders", "orders")
        .source("Lineitem", "lineitem")
        .source("Nation", "nation")
        .filter("Orders_Q4_1993", "Orders",
            "o_orderdate >= date '1993-10-01' AND o_orderdate < date '1993-10-01' + interval '3' month")
        .filter("Returned_Lines", "Lineitem", "l_returnflag = 'R'")
        // every customer has a nation: the left outer join keeps the rows an inner join would
        .join("Returned_Orders", List.of("Customer", "Orders_Q4_1993", "Returned_Lines", "Nation"), j -> j
            .on("in1", "in0.c_custkey = in1.o_custkey", JoinType.INNER)
            .on("in2", "in2.l_orderkey = in1.o_orderkey", JoinType.INNER)
            .on("in3", "in0.c_nationkey = in3.n_nationkey", JoinType.LEFT_OUTER))
        .aggregate("Revenue_By_Customer", "Returned_Orders", a -> a
            .groupBy("c_custkey", "c_name", "c_acctbal", "c_phone", "n_name", "c_address", "c_comment")
            .agg("revenue", "sum(l_extendedprice * (1 - l_discount))"))
        .select("Customer_Revenue", "Revenue_By_Customer", "c_custkey", "c_name", "revenue", "c_acctbal", "n_name",
            "c_address", "c_phone", "c_comment")
        .orderBy("Largest_Revenue_First", "Customer_Revenue", o -> o.desc("revenue").asc("c_custkey"))
        .limit("Top_20", "Largest_Revenue_First", 20));
  }

  /** Shipping modes and order priority. */
  private static PipelineGraph q12() {
    return PipelineGraph.of(name(12), p -> p
        .source("Orders", "orders")
        .source("Lineitem", "lineitem")
        .filter("Mail_Or_Ship_1994", "Lineitem", "l_shipmode IN ('MAIL', 'SHIP') AND l_commitdate < l_receiptdate "
            + "AND l_shipdate < l_commitdate AND l_receiptdate >= date '1994-01-01' "
            + "AND l_receiptdate < date '1994-01-01' + interval '1' year")
        .join("Lines_With_Orders", List.of("Orders", "Mail_Or_Ship_1994"), j -> j
            .on("in1", "in0.o_orderkey = in1.l_orderkey", JoinType.INNER)
            .columns("in1.l_shipmode", "in0.o_orderpriority"))
        .reformat("Priority_Class", "Lines_With_Orders", r -> r
            .columns("l_shipmode")
            .column("is_high", "CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END")
            .column("is_low", "CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END"))
        .aggregate("Line_Counts_By_Mode", "Priority_Class", a -> a
            .groupBy("l_shipmode")
            .agg("high_line_count", "sum(is_high)")
            .agg("low_line_count", "sum(is_low)"))
        .orderBy("Shipping_Modes", "Line_Counts_By_Mode", o -> o.asc("l_shipmode")));
  }
}

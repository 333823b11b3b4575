/**
 * TPC-H for testing and benchmarking pipelines: a deterministic data generator ({@link
 * io.prophecy.sdk.tpch.TpchData}), queries 1, 3, 5, 6, 10 and 12 as Spark SQL ({@link
 * io.prophecy.sdk.tpch.TpchQueries}), and the same queries as pipelines, built in Java and read from
 * Prophecy workflow files ({@link io.prophecy.sdk.tpch.TpchPipelines}).
 */
package io.prophecy.sdk.tpch;

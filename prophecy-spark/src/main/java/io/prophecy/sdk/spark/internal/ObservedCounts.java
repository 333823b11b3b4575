package io.prophecy.sdk.spark.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.plans.physical.RangePartitioning;
import org.apache.spark.sql.execution.CollectLimitExec;
import org.apache.spark.sql.execution.CollectMetricsExec;
import org.apache.spark.sql.execution.CollectTailExec;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.GlobalLimitExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.LocalLimitExec;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SortExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.exchange.BroadcastExchangeLike;
import org.apache.spark.sql.execution.exchange.ReusedExchangeExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeLike;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.window.WindowExec;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Which observed row counts of an executed query are not the gem's row count, read from its physical
 * plan. An observation ({@code Dataset.observe}) adds up every row that passes it in any job of the
 * query, which is exact only where the rows pass once:
 *
 * <ul>
 *   <li>Below a limit ({@code LIMIT}, {@code CollectLimit}, a tail) the rows stop early: the count is
 *       too small. A top-K sort ({@code TakeOrderedAndProject}) reads all its input and is exact.
 *   <li>Below a range-partitioned exchange (a global {@code ORDER BY}, a range repartition) Spark first
 *       samples the input in a job of its own, which evaluates it once more: the count is too large.
 *       Where only row-preserving operators stand between the observation and the exchange, the rows
 *       the exchange wrote are the count; elsewhere it is inexact.
 * </ul>
 *
 * Each case holds down to the next exchange, whose map stage runs its input once, in full.
 */
final class ObservedCounts {
  /** What the plan says of its observations: those to count again, and those read off an exchange. */
  record Exactness(Set<String> inexact, Map<String, Long> fromExchanges) {
    static final Exactness EXACT = new Exactness(Set.of(), Map.of());
  }

  private enum Pass { ONCE, STOPS_EARLY, TWICE }

  private ObservedCounts() {}

  static Exactness of(SparkPlan executed) {
    Set<String> inexact = new HashSet<>();
    Map<String, Long> fromExchanges = new HashMap<>();
    walk(executed, Pass.ONCE, null, true, inexact, fromExchanges);
    fromExchanges.keySet().removeAll(inexact);
    return new Exactness(Set.copyOf(inexact), Map.copyOf(fromExchanges));
  }

  /**
   * @param sampled the range exchange above, when {@code pass} is TWICE
   * @param preserving whether every operator between here and {@code sampled} keeps the row count
   */
  private static void walk(SparkPlan p, Pass pass, SparkPlan sampled, boolean preserving, Set<String> inexact,
      Map<String, Long> fromExchanges) {
    if (p instanceof ReusedExchangeExec) {
      return; // its rows were produced, and observed, where the exchange first stands
    }
    if (p instanceof CollectMetricsExec c) {
      switch (pass) {
        case ONCE -> { }
        case STOPS_EARLY -> inexact.add(c.name());
        case TWICE -> {
          Long written = preserving ? recordsWritten(sampled) : null;
          Long before = written == null ? null : fromExchanges.putIfAbsent(c.name(), written);
          if (written == null || before != null && !before.equals(written)) {
            inexact.add(c.name());
          }
        }
      }
    }
    Pass next = pass;
    SparkPlan nextSampled = sampled;
    boolean nextPreserving = preserving && keepsRows(p);
    if (p instanceof ShuffleExchangeLike) {
      boolean range = p.outputPartitioning() instanceof RangePartitioning r && r.numPartitions() > 1;
      next = range ? Pass.TWICE : Pass.ONCE;
      nextSampled = range ? p : null;
      nextPreserving = true;
    } else if (p instanceof BroadcastExchangeLike) {
      next = Pass.ONCE;
      nextSampled = null;
      nextPreserving = true;
    } else if (p instanceof GlobalLimitExec || p instanceof LocalLimitExec || p instanceof CollectLimitExec
        || p instanceof CollectTailExec) {
      next = Pass.STOPS_EARLY;
    }
    for (SparkPlan child : children(p)) {
      walk(child, next, nextSampled, nextPreserving, inexact, fromExchanges);
    }
  }

  /** The plan's children as executed: the final plan of an adaptive query, the plan of a query stage. */
  private static List<SparkPlan> children(SparkPlan p) {
    if (p instanceof AdaptiveSparkPlanExec a) {
      return List.of(a.executedPlan());
    }
    if (p instanceof QueryStageExec s) {
      return List.of(s.plan());
    }
    return CollectionConverters.asJava(p.children());
  }

  private static boolean keepsRows(SparkPlan p) {
    return p instanceof CollectMetricsExec || p instanceof ProjectExec || p instanceof SortExec
        || p instanceof WindowExec || p instanceof WholeStageCodegenExec || p instanceof InputAdapter
        || p instanceof ColumnarToRowExec || p instanceof AdaptiveSparkPlanExec || p instanceof QueryStageExec;
  }

  private static Long recordsWritten(SparkPlan exchange) {
    Option<SQLMetric> m = exchange.metrics().get("shuffleRecordsWritten");
    return m.isDefined() ? m.get().value() : null;
  }
}

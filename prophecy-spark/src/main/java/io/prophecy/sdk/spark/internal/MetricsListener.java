package io.prophecy.sdk.spark.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Receives the observed row counts of a plan run's queries. Spark reports them on its listener bus
 * after the query ends, so the run waits for the report of each query it started.
 */
final class MetricsListener implements QueryExecutionListener {
  /**
   * The counts one query observed, by metric name, how long the query took, and the observations whose
   * count is not their rows' count (see {@link ObservedCounts}); those are not in {@code counts}.
   */
  record Report(Map<String, Long> counts, Set<String> inexact, long durationNanos) {}

  private final String prefix;
  private final LinkedBlockingQueue<Report> reports = new LinkedBlockingQueue<>();

  MetricsListener(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    Map<String, Long> counts = new HashMap<>();
    Map<String, Row> observed = CollectionConverters.asJava(qe.observedMetrics());
    observed.forEach((name, row) -> {
      if (name.startsWith(prefix) && row != null && row.length() > 0 && !row.isNullAt(0)) {
        counts.put(name, row.getLong(0));
      }
    });
    if (!counts.isEmpty()) {
      ObservedCounts.Exactness exactness = ObservedCounts.of(qe.executedPlan());
      counts.putAll(exactness.fromExchanges());
      counts.keySet().removeAll(exactness.inexact());
      reports.add(new Report(Map.copyOf(counts), exactness.inexact(), durationNs));
    }
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {
    // A failed query throws in the thread that ran it; it reports no counts.
  }

  /**
   * The next report that holds the metric, skipping earlier ones; empty when none arrives in time.
   */
  Optional<Report> await(String metric, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Report r = reports.poll(left, TimeUnit.NANOSECONDS);
      if (r == null) {
        return Optional.empty();
      }
      if (r.counts().containsKey(metric)) {
        return Optional.of(r);
      }
    }
  }
}

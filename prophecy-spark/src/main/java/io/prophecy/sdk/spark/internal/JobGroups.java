package io.prophecy.sdk.spark.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Cancels Spark job groups, including jobs that start after the cancel. Spark 3.5's
 * {@link SparkContext#cancelJobGroup(String)} stops only the group's running jobs; an execution that is
 * between jobs (planning the next statement) would start its next job uncancelled. This listener
 * remembers cancelled groups and cancels their jobs as they start, until the execution ends.
 */
final class JobGroups extends SparkListener {
  private static final String GROUP_PROPERTY = "spark.jobGroup.id";

  private final SparkContext context;
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

  JobGroups(SparkContext context) {
    this.context = context;
  }

  /** Cancels the group's running jobs and any it starts from now on. */
  void cancel(String group) {
    cancelled.add(group);
    if (!context.isStopped()) {
      context.cancelJobGroup(group);
    }
  }

  /** Forgets a group once its execution ended. */
  void forget(String group) {
    cancelled.remove(group);
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String group = jobStart.properties() == null ? null : jobStart.properties().getProperty(GROUP_PROPERTY);
    if (group != null && cancelled.contains(group) && !context.isStopped()) {
      context.cancelJobGroup(group);
    }
  }
}

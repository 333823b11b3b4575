package io.prophecy.sdk.databricks;

import java.time.Duration;

/**
 * Told about a cluster while the SDK waits for it to run: once when the wait starts and again on every
 * change of state or message. Called on the waiting thread; keep it short.
 */
@FunctionalInterface
public interface ClusterListener {
  /** A listener that ignores everything. */
  ClusterListener NONE = (cluster, waited) -> {};

  /**
   * @param cluster the cluster as last read
   * @param waited how long the wait has lasted so far
   */
  void onProgress(Cluster cluster, Duration waited);
}

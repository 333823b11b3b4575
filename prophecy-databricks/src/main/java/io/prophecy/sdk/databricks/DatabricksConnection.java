package io.prophecy.sdk.databricks;

import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.SessionOptions;

/**
 * A user's connection to a Databricks workspace: what {@link DatabricksFabricProvider#connect} returns.
 * Beyond {@link FabricConnection} it reaches the workspace's clusters and opens sessions that report the
 * cluster's start to a listener.
 */
public interface DatabricksConnection extends FabricConnection {
  /** The workspace's clusters. */
  Clusters clusters();

  /** The workspace's Jobs (API 2.1). */
  @Override
  DatabricksScheduler scheduler();

  /**
   * Opens a session as {@link #openSession(SessionOptions)} does, telling the listener how the cluster
   * comes up. The session runs on the cluster named by the session conf {@value
   * DatabricksFabricProvider#CLUSTER_ID}, else on the fabric's.
   */
  ExecutionSession openSession(SessionOptions options, ClusterListener listener);
}

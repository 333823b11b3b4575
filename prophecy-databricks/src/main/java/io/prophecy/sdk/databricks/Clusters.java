package io.prophecy.sdk.databricks;

import java.time.Duration;
import java.util.List;

/**
 * The workspace's clusters, through the Clusters API 2.0. Reached from
 * {@link DatabricksConnection#clusters()}.
 *
 * <pre>{@code
 * Cluster c = connection.clusters().ensureRunning("0923-164208-meows279", Duration.ofMinutes(20),
 *     (cluster, waited) -> log.info("{} is {} after {} s", cluster.name(), cluster.state(), waited.toSeconds()));
 * }</pre>
 */
public interface Clusters {
  /** Every cluster the user may see. */
  List<Cluster> list();

  /**
   * One cluster.
   *
   * @throws io.prophecy.sdk.NotFoundException when there is none of that id, or the user may not see it
   */
  Cluster get(String clusterId);

  /** Creates a cluster and returns its id at once; Databricks starts it (use {@link #awaitRunning}). */
  String create(ClusterSpec spec);

  /**
   * Creates a cluster of one of the fabric's job-size presets (the fabric setting {@value
   * DatabricksFabricProvider#JOB_SIZES}) and returns its id at once. A preset that sets no
   * {@code autotermination_minutes} gets {@value ClusterSpec#DEFAULT_AUTOTERMINATION_MINUTES}.
   *
   * <pre>{@code
   * String id = connection.clusters().createFromPreset("small", "alice-dev");
   * }</pre>
   *
   * @throws io.prophecy.sdk.InvalidInputException when the fabric has no preset of that name (the message
   *     lists those it has) or the cluster name is blank
   */
  String createFromPreset(String preset, String clusterName);

  /** Asks Databricks to start a terminated cluster; returns without waiting. */
  void start(String clusterId);

  /**
   * Waits until the cluster is RUNNING, telling the listener of each change.
   *
   * @throws io.prophecy.sdk.ConnectorException when the cluster reaches ERROR, TERMINATING or TERMINATED
   *     (with its termination reason) or the timeout passes
   * @throws InterruptedException when the waiting thread is interrupted
   */
  Cluster awaitRunning(String clusterId, Duration timeout, ClusterListener listener) throws InterruptedException;

  /**
   * Starts the cluster if it is terminated, then waits until it is RUNNING: what opening a session does.
   *
   * @throws io.prophecy.sdk.ConnectorException as {@link #awaitRunning}
   */
  Cluster ensureRunning(String clusterId, Duration timeout, ClusterListener listener) throws InterruptedException;
}

package io.prophecy.sdk.databricks;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link Clusters#create} asks for: a job-size preset of a fabric, or any cluster shape.
 *
 * <pre>{@code
 * ClusterSpec small = ClusterSpec.of("alice-dev", "15.4.x-scala2.12", "i3.xlarge", 2).withAutoterminationMinutes(30);
 * }</pre>
 *
 * @param name the cluster name
 * @param sparkVersion the Databricks runtime key, such as {@code 15.4.x-scala2.12}
 * @param nodeTypeId the node type of the driver and workers, such as {@code i3.xlarge}
 * @param numWorkers the number of workers (0 for a single-node cluster)
 * @param autoterminationMinutes minutes of inactivity before Databricks stops the cluster; 0 for never
 * @param sparkConf Spark configuration of the cluster
 */
public record ClusterSpec(String name, String sparkVersion, String nodeTypeId, int numWorkers,
    int autoterminationMinutes, Map<String, String> sparkConf) {
  /** The autotermination of clusters the SDK creates unless told otherwise: an hour. */
  public static final int DEFAULT_AUTOTERMINATION_MINUTES = 60;

  public ClusterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sparkVersion, "sparkVersion");
    Objects.requireNonNull(nodeTypeId, "nodeTypeId");
    sparkConf = Map.copyOf(sparkConf);
    if (numWorkers < 0) {
      throw new IllegalArgumentException("numWorkers is " + numWorkers + "; give 0 or more");
    }
    if (autoterminationMinutes < 0) {
      throw new IllegalArgumentException("autoterminationMinutes is " + autoterminationMinutes + "; give 0 or more");
    }
  }

  public static ClusterSpec of(String name, String sparkVersion, String nodeTypeId, int numWorkers) {
    return new ClusterSpec(name, sparkVersion, nodeTypeId, numWorkers, DEFAULT_AUTOTERMINATION_MINUTES, Map.of());
  }

  public ClusterSpec withAutoterminationMinutes(int minutes) {
    return new ClusterSpec(name, sparkVersion, nodeTypeId, numWorkers, minutes, sparkConf);
  }

  public ClusterSpec withSparkConf(Map<String, String> conf) {
    return new ClusterSpec(name, sparkVersion, nodeTypeId, numWorkers, autoterminationMinutes, conf);
  }
}

package io.prophecy.sdk.databricks;

import java.util.Objects;
import java.util.Optional;

/**
 * A cluster as {@code /api/2.0/clusters/get} and {@code list} describe it.
 *
 * @param id the cluster id, such as {@code 0923-164208-meows279}
 * @param name the cluster name
 * @param state its state
 * @param stateMessage what Databricks says about the state; empty when it says nothing
 * @param sparkVersion the Databricks runtime, such as {@code 15.4.x-scala2.12}
 * @param terminationReason why it stopped, as {@code CODE (TYPE): key=value, ...}; empty while it runs
 */
public record Cluster(String id, String name, ClusterState state, String stateMessage, String sparkVersion,
    Optional<String> terminationReason) {
  public Cluster {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateMessage, "stateMessage");
    Objects.requireNonNull(sparkVersion, "sparkVersion");
    Objects.requireNonNull(terminationReason, "terminationReason");
  }
}

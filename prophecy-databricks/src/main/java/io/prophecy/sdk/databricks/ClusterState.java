package io.prophecy.sdk.databricks;

import java.util.Locale;

/** The states of a Databricks cluster, as the Clusters API names them. */
public enum ClusterState {
  PENDING,
  RUNNING,
  RESTARTING,
  RESIZING,
  TERMINATING,
  TERMINATED,
  ERROR,
  /** Databricks says UNKNOWN, or a state this SDK does not know yet. */
  UNKNOWN;

  /** Reads a state as the API writes it; an unknown name gives {@link #UNKNOWN}. */
  public static ClusterState parse(String name) {
    if (name == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /** Whether a cluster in this state is on its way to RUNNING (or already there) without being asked. */
  public boolean isComingUp() {
    return this == PENDING || this == RUNNING || this == RESTARTING || this == RESIZING || this == UNKNOWN;
  }
}

package io.prophecy.sdk.spi;

/** What a fabric connection can do. */
public enum Capability {
  INTERACTIVE_SQL,
  INTERACTIVE_PYTHON,
  INTERACTIVE_SCALA,
  /** Deploys and runs scheduled jobs through {@link FabricConnection#scheduler()}. */
  JOBS,
  /** Lists, starts and creates clusters. */
  CLUSTERS
}

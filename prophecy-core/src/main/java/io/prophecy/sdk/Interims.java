package io.prophecy.sdk;

/** Which gem outputs an interactive run samples. */
public enum Interims {
  /** Every gem's output: a row count and a sample for each. */
  ALL,
  /** Only Source gems. */
  SOURCES,
  /** Only what Target gems write (the output of the gem each Target reads). */
  TARGETS,
  /** No samples; row counts are still taken, in one pass over the data. */
  NONE
}

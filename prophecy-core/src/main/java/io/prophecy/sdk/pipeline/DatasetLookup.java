package io.prophecy.sdk.pipeline;

import io.prophecy.sdk.model.DatasetSpec;
import java.util.Optional;

/** Finds a project's datasets by the id gems use ({@code datasets/orders}) or by name. */
@FunctionalInterface
public interface DatasetLookup {
  /** Knows no dataset; validation then skips dataset checks. */
  DatasetLookup NONE = id -> Optional.empty();

  Optional<DatasetSpec> find(String datasetId);

  /** Whether this lookup knows datasets at all (false for {@link #NONE}). */
  default boolean isKnown() {
    return this != NONE;
  }

  /** The dataset name in an id: {@code datasets/orders} gives {@code orders}. */
  static String nameOf(String datasetId) {
    int slash = datasetId.lastIndexOf('/');
    return slash < 0 ? datasetId : datasetId.substring(slash + 1);
  }
}

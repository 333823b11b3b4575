package io.prophecy.sdk.pipeline;

import java.util.Objects;

/**
 * An input or output of a gem.
 *
 * @param id the port's id, unique in the pipeline, which connections refer to
 * @param slug the port's name within its gem: {@code in0}, {@code in1}, ... or {@code out}
 */
public record Port(String id, String slug) {
  public Port {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(slug, "slug");
  }
}

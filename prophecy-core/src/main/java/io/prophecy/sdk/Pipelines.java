package io.prophecy.sdk;

import java.util.List;

/** A project's pipelines, as its index lists them. Every member of the team sees them. */
public interface Pipelines {
  /** The pipelines, by name. */
  List<Pipeline> list();

  /**
   * A pipeline by name.
   *
   * @throws NotFoundException when the project has none of that name
   */
  Pipeline get(String name);
}

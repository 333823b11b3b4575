package io.prophecy.sdk.pipeline;

import java.util.Objects;

/**
 * An edge of the graph: from an output port of one gem to an input port of another.
 *
 * @param id the connection's id
 * @param source the id of the gem that produces the data
 * @param sourcePort the id of the producing gem's output port
 * @param target the id of the gem that takes the data
 * @param targetPort the id of the taking gem's input port
 */
public record Connection(String id, String source, String sourcePort, String target, String targetPort) {
  public Connection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourcePort, "sourcePort");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetPort, "targetPort");
  }
}

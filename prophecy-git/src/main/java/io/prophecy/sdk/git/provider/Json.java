package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConnectorException;

/** Reading provider answers: a missing field is the provider's error, named with where it was expected. Not API. */
final class Json {
  private Json() {}

  /** The text at a JSON pointer, or null. Numbers are given as text. */
  static String text(JsonNode node, String pointer) {
    JsonNode v = node.at(pointer);
    return v.isMissingNode() || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  /** The text at a JSON pointer; the answer lacking it is reported as the provider's fault. */
  static String need(ProviderKind kind, String host, JsonNode node, String pointer, String operation) {
    String v = text(node, pointer);
    if (v == null) {
      throw new ConnectorException(kind.id(), kind.displayName() + " at " + host + " answered " + operation
          + " without the field '" + pointer + "'; the base URL may point at something that is not its API");
    }
    return v;
  }

  static long needLong(ProviderKind kind, String host, JsonNode node, String pointer, String operation) {
    String v = need(kind, host, node, pointer, operation);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConnectorException(kind.id(), kind.displayName() + " at " + host + " answered " + operation
          + " with a non-numeric '" + pointer + "'");
    }
  }
}

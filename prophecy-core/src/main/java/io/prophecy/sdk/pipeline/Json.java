package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers for reading Prophecy's JSON leniently and writing it in Prophecy's shape. */
final class Json {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** {@code {"format": "sql", "expression": "..."}}. */
  static ObjectNode expression(Expression e) {
    ObjectNode n = object();
    n.put("format", e.format());
    n.put("expression", e.text());
    return n;
  }

  /** The first of the given fields that is present and not null. */
  static Optional<JsonNode> field(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode v = node == null ? null : node.get(name);
      if (v != null && !v.isNull() && !v.isMissingNode()) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  static Optional<String> text(JsonNode node, String... names) {
    return field(node, names).filter(JsonNode::isValueNode).map(JsonNode::asText);
  }

  static boolean bool(JsonNode node, String name) {
    return field(node, name).map(JsonNode::asBoolean).orElse(false);
  }

  /**
   * An expression in any of the shapes real files hold: the object {@code {format, expression}}, a
   * nested {@code {expression: {format, expression}}}, or a plain string.
   */
  static Optional<Expression> expression(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if (node.isValueNode()) {
      return Optional.of(Expression.sql(node.asText()));
    }
    JsonNode inner = node.get("expression");
    if (inner != null && inner.isObject()) {
      return expression(inner);
    }
    String format = text(node, "format").orElse("sql");
    return text(node, "expression", "value").map(t -> new Expression(format, t));
  }

  static Optional<Expression> expression(JsonNode node, String... names) {
    return field(node, names).flatMap(Json::expression);
  }

  static List<JsonNode> list(JsonNode node, String... names) {
    List<JsonNode> out = new ArrayList<>();
    field(node, names).filter(JsonNode::isArray).ifPresent(a -> a.forEach(out::add));
    return out;
  }
}

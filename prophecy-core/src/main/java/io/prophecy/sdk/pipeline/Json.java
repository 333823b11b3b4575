package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers for reading Prophecy's JSON leniently and writing it in Prophecy's shape. */
final class Json {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Reads workflow JSON keeping the spelling of numbers ({@code 1.10} stays so), and writes it back. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();
  /** For text {@link #bytes} wrote, which spells a NaN or infinite number of a tree built in Java as such. */
  private static final ObjectReader KEPT = MAPPER.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

  /** A JSON tree as compact UTF-8 text, to keep: a fraction of the tree's memory. */
  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Whether the text {@link #bytes} wrote may not read back as its tree: a NaN or infinite number (read
   * back as a decimal, it is lost). True also for such words inside strings, which read back well.
   */
  static boolean mayNotReadBack(byte[] text) {
    return contains(text, "NaN") || contains(text, "Infinity");
  }

  private static boolean contains(byte[] text, String word) {
    outer:
    for (int i = 0; i + word.length() <= text.length; i++) {
      for (int k = 0; k < word.length(); k++) {
        if (text[i + k] != word.charAt(k)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The object {@link #bytes} kept, as a new tree; numbers read back as the file reader reads them. */
  static ObjectNode object(byte[] kept) {
    try {
      return (ObjectNode) KEPT.readTree(kept);
    } catch (IOException e) {
      throw new IllegalStateException("kept JSON could not be read back: " + e.getMessage(), e);
    }
  }

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

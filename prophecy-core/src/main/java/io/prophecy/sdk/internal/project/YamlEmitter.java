package io.prophecy.sdk.internal.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes YAML the way Prophecy's {@code pbt_project.yml} is written (PyYAML's block style): two-space
 * indentation for maps, sequences not indented under their key, strings plain where YAML reads them
 * back as the same string and single-quoted otherwise ({@code ''}, {@code '2024-03-01 10:00:00'},
 * {@code '12654'}), empty containers as {@code {}} and {@code []}.
 */
final class YamlEmitter {
  private static final Pattern INT = Pattern.compile(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern FLOAT = Pattern.compile(
      "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
          + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
          + "|[-+]?[0-9]+(?:[eE][-+]?[0-9]+)");
  private static final Pattern BOOL_OR_NULL = Pattern.compile(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
          + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?");

  private YamlEmitter() {}

  /** A whole document: the root map's entries at column 0, ending with a newline. */
  static String document(ObjectNode root) {
    StringBuilder out = new StringBuilder();
    mapping(out, root, 0);
    return out.toString();
  }

  /** The entries of a map, one per key, at {@code indent}. */
  static void mapping(StringBuilder out, ObjectNode map, int indent) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      entry(out, e.getKey(), e.getValue(), indent);
    }
  }

  /** {@code key: value} at {@code indent}, with a nested block for non-empty containers. */
  static void entry(StringBuilder out, String key, JsonNode value, int indent) {
    out.append(" ".repeat(indent)).append(scalar(key)).append(':');
    if (value.isObject() && !value.isEmpty()) {
      out.append('\n');
      mapping(out, (ObjectNode) value, indent + 2);
    } else if (value.isArray() && !value.isEmpty()) {
      out.append('\n');
      for (JsonNode item : value) {
        item(out, item, indent);
      }
    } else {
      out.append(' ').append(inline(value)).append('\n');
    }
  }

  /** A sequence item {@code - ...} with its dash at {@code indent}. */
  private static void item(StringBuilder out, JsonNode value, int indent) {
    if ((value.isObject() || value.isArray()) && !value.isEmpty()) {
      StringBuilder block = new StringBuilder();
      if (value.isObject()) {
        mapping(block, (ObjectNode) value, indent + 2);
      } else {
        for (JsonNode inner : value) {
          item(block, inner, indent + 2);
        }
      }
      out.append(" ".repeat(indent)).append("- ").append(block, indent + 2, block.length());
    } else {
      out.append(" ".repeat(indent)).append("- ").append(inline(value)).append('\n');
    }
  }

  private static String inline(JsonNode value) {
    if (value.isObject()) {
      return "{}";
    } else if (value.isArray()) {
      return "[]";
    } else if (value.isNull() || value.isMissingNode()) {
      return "null";
    } else if (value.isBoolean()) {
      return value.asBoolean() ? "true" : "false";
    } else if (value.isNumber()) {
      return value.isFloatingPointNumber() && !Double.isFinite(value.asDouble())
          ? (Double.isNaN(value.asDouble()) ? ".nan" : value.asDouble() > 0 ? ".inf" : "-.inf")
          : value.asText();
    }
    return scalar(value.asText());
  }

  /** A string as PyYAML writes it: plain when that reads back as the same string, else quoted. */
  static String scalar(String s) {
    if (plain(s)) {
      return s;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
        return doubleQuoted(s);
      }
    }
    return "'" + s.replace("'", "''") + "'";
  }

  private static boolean plain(String s) {
    if (s.isEmpty() || !s.strip().equals(s)) {
      return false;
    }
    if (BOOL_OR_NULL.matcher(s).matches() || INT.matcher(s).matches() || FLOAT.matcher(s).matches()
        || TIMESTAMP.matcher(s).matches() || s.equals("<<") || s.equals("=")) {
      return false;
    }
    char first = s.charAt(0);
    if (",[]{}#&*!|>'\"%@`".indexOf(first) >= 0) {
      return false;
    }
    if ("-?:".indexOf(first) >= 0 && (s.length() == 1 || s.charAt(1) == ' ')) {
      return false;
    }
    if (s.startsWith("---") || s.startsWith("...")) {
      return false;
    }
    if (s.endsWith(":") || s.contains(": ") || s.contains(" #") || s.contains(":\t") || s.contains("\t#")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
        return false;
      }
    }
    return true;
  }

  private static String doubleQuoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

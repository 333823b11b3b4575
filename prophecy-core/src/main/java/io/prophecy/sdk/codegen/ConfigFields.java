package io.prophecy.sdk.codegen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.pipeline.Configuration;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pipeline's configuration fields with their value types, as both generators write them: a typed
 * default per field (none for a secret), and the instances as JSON files.
 */
final class ConfigFields {
  /** The value types generated code keeps configuration values in. */
  enum Kind {
    STRING("str", "String"),
    INT("int", "Int"),
    LONG("int", "Long"),
    DOUBLE("float", "Double"),
    BOOLEAN("bool", "Boolean");

    final String python;
    final String scala;

    Kind(String python, String scala) {
      this.python = python;
      this.scala = scala;
    }

    static Kind of(String sparkType) {
      return switch (sparkType.toLowerCase(Locale.ROOT).trim()) {
        case "int", "integer", "short", "smallint", "byte", "tinyint" -> INT;
        case "long", "bigint" -> LONG;
        case "double", "float", "real" -> DOUBLE;
        case "boolean", "bool" -> BOOLEAN;
        default -> STRING;
      };
    }
  }

  /**
   * A field.
   *
   * @param value the default in canonical text ({@code 10}, {@code 2.5}, {@code true}, any string);
   *     empty for a secret field or one without a default, which then starts from its type's zero value
   * @param secret whether the name says it holds a secret, so no value of it is written into code
   */
  record Field(String name, Kind kind, Optional<String> value, boolean secret) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  final List<Field> fields;
  final Configuration configuration;

  private ConfigFields(Configuration configuration, List<Field> fields) {
    this.configuration = configuration;
    this.fields = List.copyOf(fields);
  }

  static ConfigFields of(Configuration configuration) {
    List<Field> fields = new ArrayList<>();
    for (Configuration.Field f : configuration.fields()) {
      if (!CodeText.isIdentifier(f.name())) {
        throw new InvalidInputException("configuration field '" + f.name() + "'",
            "is not an identifier; use letters, digits and underscores, starting with a letter");
      }
      Kind kind = Kind.of(f.type());
      boolean secret = CodeText.isSecretKey(f.name());
      Optional<String> value = secret ? Optional.empty() : f.defaultValue().map(v -> canonical(f.name(), kind, v));
      fields.add(new Field(f.name(), kind, value, secret));
    }
    return new ConfigFields(configuration, fields);
  }

  Optional<Field> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Whether the text refers to a field of this configuration ({@code '$x'}, {@code ${x}}, {@code Config.x}). */
  boolean referenced(String text) {
    return Configuration.references(text).stream().anyMatch(n -> field(n).isPresent());
  }

  /**
   * The instances to ship as {@code <name>.json}: every declared instance, and the selected one (empty)
   * when it is not declared, so that {@code -i default} works. Values of secret or unknown fields are left out.
   */
  Map<String, String> instanceFiles() {
    Map<String, Map<String, String>> instances = new TreeMap<>(configuration.instances());
    instances.putIfAbsent(configuration.selected(), Map.of());
    Map<String, String> out = new TreeMap<>();
    for (var e : instances.entrySet()) {
      ObjectNode o = JSON.createObjectNode();
      new TreeMap<>(e.getValue()).forEach((name, value) -> field(name).filter(f -> !f.secret()).ifPresent(f -> {
        String v = canonical(name, f.kind(), value);
        switch (f.kind()) {
          case INT, LONG -> o.put(name, Long.parseLong(v));
          case DOUBLE -> o.put(name, Double.parseDouble(v));
          case BOOLEAN -> o.put(name, Boolean.parseBoolean(v));
          case STRING -> o.put(name, v);
        }
      }));
      try {
        out.put(e.getKey(), JSON.writeValueAsString(o) + "\n");
      } catch (JsonProcessingException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return out;
  }

  private static String canonical(String name, Kind kind, String value) {
    String v = value.trim();
    try {
      return switch (kind) {
        case INT -> Integer.toString(Integer.parseInt(v));
        case LONG -> Long.toString(Long.parseLong(v));
        case DOUBLE -> {
          double d = Double.parseDouble(v);
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException(v);
          }
          yield Double.toString(d);
        }
        case BOOLEAN -> {
          if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new NumberFormatException(v);
          }
          yield v.toLowerCase(Locale.ROOT);
        }
        case STRING -> value;
      };
    } catch (NumberFormatException e) {
      String expected = switch (kind) {
        case INT, LONG -> "a whole number";
        case DOUBLE -> "a number";
        case BOOLEAN -> "true or false";
        case STRING -> "text";
      };
      throw new InvalidInputException("configuration field '" + name + "'", "'" + value + "' is not " + expected);
    }
  }
}

package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's configuration: a typed schema of fields with defaults, named instances that override
 * them, and the instance selected. Expressions refer to a field as {@code '$name'}, {@code ${name}},
 * {@code expr('$name')} or {@code Config.name}; compiled Spark SQL holds the resolved value.
 */
public final class Configuration {
  /** A field of the schema. {@code type} is a Spark SQL type name: string, int, long, double, boolean, date. */
  public record Field(String name, String type, Optional<String> defaultValue) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(defaultValue, "defaultValue");
    }
  }

  private static final Pattern DOLLAR_BRACES = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern QUOTED_DOLLAR = Pattern.compile("'\\$([A-Za-z_][A-Za-z0-9_]*)'");
  private static final Pattern EXPR_DOLLAR = Pattern.compile("expr\\(\\s*'\\$([A-Za-z_][A-Za-z0-9_]*)'\\s*\\)");
  private static final Pattern CONFIG_DOT = Pattern.compile("\\bConfig\\.([A-Za-z_][A-Za-z0-9_]*)");

  private final List<Field> fields;
  private final Map<String, Map<String, String>> instances;
  private final String selected;

  Configuration(List<Field> fields, Map<String, Map<String, String>> instances, String selected) {
    this.fields = List.copyOf(fields);
    Map<String, Map<String, String>> copy = new TreeMap<>();
    instances.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    this.instances = Collections.unmodifiableMap(copy);
    this.selected = selected;
  }

  /**
   * A configuration of these fields and instances.
   *
   * @param selected the instance used when none is named
   */
  public static Configuration of(List<Field> fields, Map<String, Map<String, String>> instances, String selected) {
    return new Configuration(fields, instances, Objects.requireNonNull(selected, "selected"));
  }

  public static Configuration empty() {
    return new Configuration(List.of(), Map.of(), "default");
  }

  public List<Field> fields() {
    return fields;
  }

  public Optional<Field> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Named instances: overrides of field values by field name. */
  public Map<String, Map<String, String>> instances() {
    return instances;
  }

  /** The instance used when none is named. */
  public String selected() {
    return selected;
  }

  /**
   * The values of every field in an instance, with overrides applied last.
   *
   * @throws IllegalArgumentException naming the instance or field when it does not exist
   */
  public Map<String, String> values(Optional<String> instance, Map<String, String> overrides) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach(f -> f.defaultValue().ifPresent(v -> out.put(f.name(), v)));
    String name = instance.orElse(selected);
    Map<String, String> chosen = instances.get(name);
    if (chosen == null && instance.isPresent()) {
      throw new IllegalArgumentException("configuration instance '" + name + "' does not exist; instances: "
          + instances.keySet());
    }
    if (chosen != null) {
      out.putAll(chosen);
    }
    for (var e : overrides.entrySet()) {
      if (field(e.getKey()).isEmpty()) {
        throw new IllegalArgumentException("configuration field '" + e.getKey() + "' does not exist; fields: "
            + fields.stream().map(Field::name).toList());
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The names of configuration fields an expression refers to, in order of appearance. */
  public static List<String> references(String text) {
    if (!mayRefer(text)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Pattern p : List.of(DOLLAR_BRACES, QUOTED_DOLLAR, CONFIG_DOT)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        if (!out.contains(m.group(1))) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /**
   * Replaces references to fields with their values as Spark SQL literals: a string field becomes a
   * quoted string, numbers and booleans stay bare. {@code expr('$x')} and {@code ${x}} insert the value
   * as SQL text, as Prophecy does.
   */
  public String substitute(String text, Map<String, String> values) {
    if (!mayRefer(text)) {
      return text;
    }
    String out = replace(EXPR_DOLLAR, text, values, true);
    out = replace(QUOTED_DOLLAR, out, values, false);
    out = replace(DOLLAR_BRACES, out, values, true);
    return replace(CONFIG_DOT, out, values, false);
  }

  /** Every form of reference has a {@code $} or {@code Config.}; most expressions have neither. */
  private static boolean mayRefer(String text) {
    return text.indexOf('$') >= 0 || text.contains("Config.");
  }

  private String replace(Pattern p, String text, Map<String, String> values, boolean raw) {
    Matcher m = p.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      String replacement;
      if (value == null) {
        replacement = m.group();
      } else if (raw) {
        replacement = value;
      } else {
        replacement = literal(field(name).map(Field::type).orElse("string"), value);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String literal(String type, String value) {
    return switch (type.toLowerCase(java.util.Locale.ROOT)) {
      case "int", "integer", "long", "bigint", "double", "float", "short", "boolean" -> value;
      default -> "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    };
  }

  /** Reads {@code metainfo.configuration}: {@code {common: {fields: [...]}, instances: {...}, selected}}. */
  static Configuration read(JsonNode node) {
    if (node == null || !node.isObject()) {
      return empty();
    }
    List<Field> fields = new ArrayList<>();
    for (JsonNode f : Json.list(node.path("common"), "fields")) {
      JsonNode kind = f.path("kind");
      String type = Json.text(kind, "type").orElse(Json.text(f, "type").orElse("string"));
      Optional<String> value = Json.field(kind, "value").or(() -> Json.field(f, "default", "value"))
          .map(v -> v.isValueNode() ? v.asText() : v.toString());
      Json.text(f, "name").ifPresent(n -> fields.add(new Field(n, type, value)));
    }
    Map<String, Map<String, String>> instances = new TreeMap<>();
    node.path("instances").fields().forEachRemaining(e -> {
      Map<String, String> values = new TreeMap<>();
      e.getValue().fields().forEachRemaining(v -> values.put(v.getKey(),
          v.getValue().isValueNode() ? v.getValue().asText() : v.getValue().toString()));
      instances.put(e.getKey(), values);
    });
    return new Configuration(fields, instances, Json.text(node, "selected").orElse("default"));
  }

  /** Writes the shape {@link #read} takes. */
  ObjectNode toJson() {
    ObjectNode n = Json.object();
    ObjectNode common = n.putObject("common");
    common.put("type", "record");
    ArrayNode fs = common.putArray("fields");
    for (Field f : fields) {
      ObjectNode o = fs.addObject();
      o.put("name", f.name());
      ObjectNode kind = o.putObject("kind");
      kind.put("type", f.type());
      f.defaultValue().ifPresent(v -> kind.put("value", v));
      o.put("optional", false);
      o.put("isWorkflowNodeConfiguration", false);
      o.put("isReferenced", false);
    }
    ObjectNode inst = n.putObject("instances");
    instances.forEach((k, v) -> {
      ObjectNode o = inst.putObject(k);
      v.forEach(o::put);
    });
    n.put("selected", selected);
    n.putArray("nonEditable");
    n.putNull("isSubscribedPipelineWithPipelineConfigs");
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Configuration c && c.fields.equals(fields) && c.instances.equals(instances)
        && c.selected.equals(selected);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fields, instances, selected);
  }

  @Override
  public String toString() {
    return "Configuration" + fields;
  }
}

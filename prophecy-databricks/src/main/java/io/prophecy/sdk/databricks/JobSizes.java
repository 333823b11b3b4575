package io.prophecy.sdk.databricks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fabric's job-size presets: the fabric setting {@value DatabricksFabricProvider#JOB_SIZES}, a JSON
 * object from preset name to the fields of a Databricks cluster. A preset becomes the {@code new_cluster}
 * of a generated job's {@code job_clusters}, or a cluster of its own through
 * {@link Clusters#createFromPreset}.
 *
 * <pre>{@code
 * {"small":  {"spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 1},
 *  "medium": {"spark_version": "15.4.x-scala2.12", "node_type_id": "i3.2xlarge",
 *             "autoscale": {"min_workers": 2, "max_workers": 8},
 *             "spark_conf": {"spark.sql.shuffle.partitions": "64"}}}
 * }</pre>
 *
 * <p>Each preset needs {@code spark_version}, {@code node_type_id} (or {@code instance_pool_id}) and
 * exactly one of {@code num_workers} and {@code autoscale}. The other fields taken are listed in
 * {@link #FIELDS}; any other field is refused with an error naming the preset and the field, so that a
 * typo is caught when the fabric is connected, not when a job starts.
 */
public final class JobSizes {
  /** The cluster fields a preset may set, with what each must be. */
  public static final Map<String, String> FIELDS = fields();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JobSizes NONE = new JobSizes(Map.of());

  private final Map<String, ObjectNode> presets;

  private JobSizes(Map<String, ObjectNode> presets) {
    this.presets = presets;
  }

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("spark_version", "text");
    f.put("node_type_id", "text");
    f.put("driver_node_type_id", "text");
    f.put("instance_pool_id", "text");
    f.put("driver_instance_pool_id", "text");
    f.put("policy_id", "text");
    f.put("num_workers", "whole number, 0 or more");
    f.put("autoscale", "object {min_workers, max_workers}");
    f.put("autotermination_minutes", "whole number, 0 or more");
    f.put("spark_conf", "object of text values");
    f.put("spark_env_vars", "object of text values");
    f.put("custom_tags", "object of text values");
    f.put("data_security_mode", "text");
    f.put("single_user_name", "text");
    f.put("runtime_engine", "text");
    f.put("enable_elastic_disk", "true or false");
    f.put("aws_attributes", "object");
    f.put("azure_attributes", "object");
    f.put("gcp_attributes", "object");
    f.put("init_scripts", "list");
    return Collections.unmodifiableMap(f);
  }

  /** No presets. */
  public static JobSizes none() {
    return NONE;
  }

  /**
   * Reads and checks the setting's value; blank means no presets.
   *
   * @throws InvalidInputException naming {@code fabric.settings.jobSizes}, the preset and the field
   */
  public static JobSizes parse(String json) {
    String where = "fabric.settings." + DatabricksFabricProvider.JOB_SIZES;
    if (json == null || json.isBlank()) {
      return NONE;
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(where, "is not JSON (" + e.getOriginalMessage() + "); give an object from"
          + " preset name to cluster fields, such as {\"small\": {\"spark_version\": \"15.4.x-scala2.12\","
          + " \"node_type_id\": \"i3.xlarge\", \"num_workers\": 1}}");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(where, "must be a JSON object from preset name to cluster fields");
    }
    Map<String, ObjectNode> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String name = e.getKey();
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        throw new InvalidInputException(where, "preset name '" + name + "' is not a name: use letters, digits,"
            + " '_', '.' or '-'");
      }
      out.put(name, check(where + "." + name, e.getValue()));
    }
    return new JobSizes(Collections.unmodifiableMap(out));
  }

  private static ObjectNode check(String where, JsonNode preset) {
    if (!preset.isObject()) {
      throw new InvalidInputException(where, "must be an object of cluster fields such as spark_version,"
          + " node_type_id and num_workers");
    }
    for (Map.Entry<String, JsonNode> f : preset.properties()) {
      String field = f.getKey();
      JsonNode v = f.getValue();
      String kind = FIELDS.get(field);
      if (kind == null) {
        throw new InvalidInputException(where + "." + field, "is not a cluster field a preset may set; the fields"
            + " are " + FIELDS.keySet());
      }
      boolean ok = switch (kind) {
        case "text" -> v.isTextual() && !v.asText().isBlank();
        case "whole number, 0 or more" -> v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 0;
        case "true or false" -> v.isBoolean();
        case "object" -> v.isObject();
        case "list" -> v.isArray();
        case "object of text values" -> v.isObject() && textValues(v);
        default -> true; // autoscale: checked below
      };
      if (!ok) {
        throw new InvalidInputException(where + "." + field, "is " + v + "; give a " + kind);
      }
    }
    for (String required : new String[] {"spark_version"}) {
      if (!preset.has(required)) {
        throw new InvalidInputException(where + "." + required, "is missing; a preset names the Databricks runtime,"
            + " such as 15.4.x-scala2.12");
      }
    }
    if (!preset.has("node_type_id") && !preset.has("instance_pool_id")) {
      throw new InvalidInputException(where + ".node_type_id", "is missing; name the node type (such as i3.xlarge)"
          + " or an instance_pool_id");
    }
    boolean fixed = preset.has("num_workers");
    boolean auto = preset.has("autoscale");
    if (fixed == auto) {
      throw new InvalidInputException(where + (fixed ? ".autoscale" : ".num_workers"), fixed
          ? "and num_workers are both set; give one of them"
          : "is missing; give num_workers, or autoscale {min_workers, max_workers}");
    }
    if (auto) {
      JsonNode a = preset.get("autoscale");
      if (!a.isObject() || a.size() != 2 || !whole(a.get("min_workers")) || !whole(a.get("max_workers"))) {
        throw new InvalidInputException(where + ".autoscale", "is " + a + "; give {\"min_workers\": n,"
            + " \"max_workers\": m} with whole numbers");
      }
      int min = a.get("min_workers").asInt();
      int max = a.get("max_workers").asInt();
      if (min < 0 || max < 1 || min > max) {
        throw new InvalidInputException(where + ".autoscale", "min_workers " + min + " and max_workers " + max
            + " do not make a range; give 0 <= min_workers <= max_workers and max_workers >= 1");
      }
    }
    return preset.deepCopy();
  }

  private static boolean whole(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToInt();
  }

  private static boolean textValues(JsonNode v) {
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isTextual()) {
        return false;
      }
    }
    return true;
  }

  /** The preset names, sorted. */
  public Set<String> names() {
    return presets.keySet();
  }

  /** Whether there is a preset of that name. */
  public boolean has(String name) {
    return presets.containsKey(name);
  }

  /**
   * The cluster fields of a preset as a fresh JSON object, with {@code spark_conf}, {@code spark_env_vars}
   * and {@code custom_tags} sorted by key so that the same preset always gives the same bytes.
   *
   * @param field where the preset name came from, for the message
   * @throws InvalidInputException naming {@code field} and the presets there are
   */
  public ObjectNode cluster(String name, String field) {
    ObjectNode p = presets.get(name);
    if (p == null) {
      throw new InvalidInputException(field, presets.isEmpty()
          ? "names the job size '" + name + "', but the fabric has no presets; define it in the fabric setting "
              + DatabricksFabricProvider.JOB_SIZES
          : "names the job size '" + name + "', which the fabric setting " + DatabricksFabricProvider.JOB_SIZES
              + " does not define; it has " + presets.keySet());
    }
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      JsonNode v = e.getValue();
      if (FIELDS.get(e.getKey()).equals("object of text values")) {
        TreeMap<String, JsonNode> byKey = new TreeMap<>();
        v.properties().forEach(f -> byKey.put(f.getKey(), f.getValue().deepCopy()));
        ObjectNode sorted = out.putObject(e.getKey());
        byKey.forEach(sorted::set);
      } else {
        out.set(e.getKey(), v.deepCopy());
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobSizes other && other.presets.equals(presets);
  }

  @Override
  public int hashCode() {
    return presets.hashCode();
  }

  @Override
  public String toString() {
    return "JobSizes" + presets.keySet();
  }
}

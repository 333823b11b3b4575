package io.prophecy.sdk.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.DatasetLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a Source or Target gem reads or writes its dataset, in terms both generators render: the Spark
 * format, the options (sorted, Spark's names, no secrets), the schema as DDL, the path or table, and
 * for writes the save mode and partition columns.
 *
 * @param leftOut the options (and embedded credentials) left out because they hold secrets, for a comment
 */
record DatasetIo(String datasetId, Kind kind, String format, Optional<String> schemaDdl, Map<String, String> options,
    Optional<String> location, String writeMode, List<String> partitionColumns, List<String> leftOut) {

  /** Where the data is. */
  enum Kind {
    /** Files at a path: {@code load(path)} and {@code save(path)}. */
    FILES,
    /** A catalog table: {@code table(name)} and {@code saveAsTable(name)}. */
    CATALOG,
    /** A table behind a connector (JDBC, Snowflake): {@code dbtable} option, {@code load()} and {@code save()}. */
    CONNECTOR
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> WRITE_MODES = List.of("error", "errorifexists", "overwrite", "append", "ignore");

  /**
   * Looks the dataset up and says how to read or write it.
   *
   * @throws InvalidInputException naming the gem when the dataset is missing or cannot be written as asked
   */
  static DatasetIo of(String gemPath, String datasetId, DatasetLookup datasets) {
    if (datasetId.isBlank()) {
      throw new InvalidInputException("gem '" + gemPath + "' properties.datasetId", "the gem names no dataset");
    }
    DatasetSpec d = datasets.find(datasetId).orElseThrow(() -> new InvalidInputException(
        "gem '" + gemPath + "' properties.datasetId", "dataset '" + datasetId + "' is not a dataset of the project"));
    String f = d.format().toLowerCase(Locale.ROOT);
    Kind kind = switch (f) {
      case "catalogtable" -> Kind.CATALOG;
      case "jdbc", "snowflake" -> Kind.CONNECTOR;
      default -> Kind.FILES;
    };
    String format = switch (f) {
      case "xlsx" -> "com.crealytics.spark.excel";
      case "catalogtable" -> "catalogTable";
      default -> f;
    };
    List<String> leftOut = new ArrayList<>();
    Map<String, String> options = new TreeMap<>();
    for (var e : new TreeMap<>(d.options()).entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (value == null || key.equals("writeMode") || key.equals("partitionColumns") || key.equals("path")
          || key.equals("separator") && d.options().containsKey("sep")) {
        continue;
      }
      if (CodeText.isSecretKey(key)) {
        leftOut.add("option \"" + key + "\"");
        continue;
      }
      String clean = CodeText.withoutCredentials(value);
      if (!clean.equals(value)) {
        leftOut.add("the credentials in option \"" + key + "\"");
      }
      // Prophecy's dataset files say "separator"; Spark's CSV reader only knows "sep" (or "delimiter")
      options.put(key.equals("separator") ? "sep" : key, clean);
    }
    Optional<String> location;
    if (kind == Kind.FILES) {
      location = d.path().map(p -> {
        String clean = CodeText.withoutCredentials(p);
        if (!clean.equals(p)) {
          leftOut.add("the credentials in the path");
        }
        return clean;
      });
    } else {
      location = d.table();
      if (kind == Kind.CONNECTOR) {
        location.ifPresent(t -> options.put("dbtable", t));
      }
    }
    String mode = d.options().getOrDefault("writeMode", "error");
    mode = mode == null ? "error" : mode.toLowerCase(Locale.ROOT);
    Optional<String> ddl = d.schema().isEmpty() ? Optional.empty() : Optional.of(d.schema().stream()
        .map(c -> "`" + c.name().replace("`", "``") + "` " + c.type() + (c.nullable() ? "" : " NOT NULL"))
        .collect(Collectors.joining(", ")));
    return new DatasetIo(datasetId, kind, format, ddl, options, location, mode,
        partitionColumns(gemPath, d.options().get("partitionColumns")), leftOut);
  }

  /**
   * The save mode, checked for a Target gem.
   *
   * @throws InvalidInputException for modes a plain DataFrame write does not have ({@code merge})
   */
  String checkedWriteMode(String gemPath) {
    if (!WRITE_MODES.contains(writeMode)) {
      throw new InvalidInputException("gem '" + gemPath + "' dataset " + datasetId + " writeMode", "'" + writeMode
          + "' is not a save mode of a DataFrame write; use one of " + new TreeSet<>(WRITE_MODES)
          + " (a Delta merge needs a Script gem)");
    }
    return writeMode;
  }

  /** The path or table, which a dataset of its format must have. */
  String checkedLocation(String gemPath) {
    return location.filter(l -> !l.isBlank()).orElseThrow(() -> new InvalidInputException("gem '" + gemPath
        + "' dataset " + datasetId, kind == Kind.FILES ? "the dataset has no path" : "the dataset has no table"));
  }

  /** A comment for the code about what was left out, or empty. */
  Optional<String> leftOutNote() {
    if (leftOut.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Left out of dataset " + datasetId + ": " + String.join(", ", leftOut)
        + ". Secrets come from the fabric's credentials, never from code.");
  }

  private static List<String> partitionColumns(String gemPath, String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    String t = text.trim();
    if (t.startsWith("[")) {
      try {
        for (JsonNode n : JSON.readTree(t)) {
          out.add(n.asText());
        }
      } catch (java.io.IOException e) {
        throw new InvalidInputException("gem '" + gemPath + "' partitionColumns", "is neither a JSON list nor a "
            + "comma-separated list of columns");
      }
    } else {
      for (String c : t.split(",")) {
        if (!c.isBlank()) {
          out.add(c.trim());
        }
      }
    }
    return out;
  }
}

package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.DatasetSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's options as Spark's readers and writers take them, for every fabric that runs Spark
 * (embedded, Databricks, Livy), so that a dataset reads the same everywhere.
 */
public final class SparkOptions {
  private SparkOptions() {}

  /**
   * The options to pass to Spark: Prophecy's {@code separator} becomes {@code sep} (unless {@code sep} or
   * {@code delimiter} is set too); {@code writeMode} and {@code partitionColumns}, which the write itself
   * takes, and options without a value are left out. In the dataset's order.
   */
  public static Map<String, String> of(DatasetSpec d) {
    Map<String, String> out = new LinkedHashMap<>();
    d.options().forEach((k, v) -> {
      if (v == null || k.equals("writeMode") || k.equals("partitionColumns")) {
        return;
      }
      if (k.equals("separator")) {
        if (!d.options().containsKey("sep") && !d.options().containsKey("delimiter")) {
          out.put("sep", v);
        }
        return;
      }
      out.put(k, v);
    });
    return Collections.unmodifiableMap(out);
  }

  /**
   * The dataset's partition columns, from its {@code partitionColumns} option written as {@code a,b} or
   * as a JSON list {@code ["a","b"]}; empty when it has none.
   */
  public static List<String> partitionColumns(DatasetSpec d) {
    String text = d.options().get("partitionColumns");
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    for (String part : t.split(",")) {
      String name = part.strip();
      if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
        name = name.substring(1, name.length() - 1).strip();
      }
      if (!name.isEmpty()) {
        out.add(name);
      }
    }
    return out;
  }
}

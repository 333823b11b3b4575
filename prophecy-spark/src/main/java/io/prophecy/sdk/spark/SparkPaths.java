package io.prophecy.sdk.spark;

import io.prophecy.sdk.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rewrites dataset paths for a fabric by prefix, so that a project written for Databricks
 * ({@code dbfs:/...}) or S3 runs on local folders. Mappings are the fabric setting
 * {@value SparkFabricProvider#PATH_MAPPINGS}: {@code prefix=replacement} entries separated by
 * {@code ;}. The longest matching prefix wins; a prefix matches a whole path segment.
 *
 * <pre>{@code
 * SparkPaths.map("dbfs:/data/orders.csv", "dbfs:/=/srv/data;s3://bucket/=/srv/s3")  // "/srv/data/data/orders.csv"
 * SparkPaths.map("s3://bucket/x", "dbfs:/=/srv/data;s3://bucket/=/srv/s3")           // "/srv/s3/x"
 * SparkPaths.map("/tmp/a", "dbfs:/=/srv/data")                                        // "/tmp/a", no prefix matched
 * }</pre>
 */
public final class SparkPaths {
  private static final String FIELD = "fabric.settings." + SparkFabricProvider.PATH_MAPPINGS;

  private record Mapping(String prefix, String replacement) {}

  private SparkPaths() {}

  /**
   * The path with its longest matching prefix replaced.
   *
   * @param path a dataset path or URI
   * @param mappings {@code prefix=replacement;...}; null or blank maps nothing
   * @return the mapped path, or {@code path} itself when no prefix matches
   * @throws InvalidInputException when an entry is not {@code prefix=replacement}
   */
  public static String map(String path, String mappings) {
    Objects.requireNonNull(path, "path");
    Mapping best = null;
    for (Mapping m : parse(mappings)) {
      if (matches(path, m.prefix()) && (best == null || m.prefix().length() > best.prefix().length())) {
        best = m;
      }
    }
    if (best == null) {
      return path;
    }
    String rest = path.substring(best.prefix().length());
    String target = best.replacement();
    if (rest.isEmpty()) {
      return target;
    }
    boolean targetSlash = target.endsWith("/");
    boolean restSlash = rest.startsWith("/");
    if (targetSlash && restSlash) {
      return target + rest.substring(1);
    }
    if (!targetSlash && !restSlash) {
      return target + "/" + rest;
    }
    return target + rest;
  }

  /**
   * Checks the mappings' syntax.
   *
   * @throws InvalidInputException naming the bad entry
   */
  public static void check(String mappings) {
    parse(mappings);
  }

  private static boolean matches(String path, String prefix) {
    if (!path.startsWith(prefix)) {
      return false;
    }
    return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
  }

  private static List<Mapping> parse(String mappings) {
    List<Mapping> out = new ArrayList<>();
    if (mappings == null || mappings.isBlank()) {
      return out;
    }
    for (String entry : mappings.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String prefix = eq < 0 ? "" : entry.substring(0, eq).trim();
      String replacement = eq < 0 ? "" : entry.substring(eq + 1).trim();
      if (prefix.isEmpty() || replacement.isEmpty()) {
        throw new InvalidInputException(FIELD, "'" + entry.trim() + "' is not a mapping; write prefix=replacement"
            + " entries separated by ';', such as dbfs:/=/data/dbfs;s3://bucket/=/data/s3");
      }
      out.add(new Mapping(prefix, replacement));
    }
    return out;
  }
}

package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.spi.SparkOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session in which one connection runs plans without counts as statements, and the sources those
 * runs read, kept as temporary views of that session while their files do not change.
 *
 * <p>Defining a source costs a reader and a view command (about 10 to 25 ms a source here), which a
 * plain query over views defined once does not pay. A source is kept when it is a file dataset on the
 * local file system (csv, json, parquet, orc, text, avro): its key is a digest of the format, path,
 * options, declared schema and, for every file under the path, its relative name, size and modification
 * time, so that any change to the files makes a new key and a new reader (Spark's file index keeps the
 * listing it was made with). Other sources (catalog tables, JDBC, Delta, remote paths, paths with glob
 * characters, folders of more than {@value #MAX_FILES} files) get a view of one run only, dropped when
 * the run ends. At most {@value #CAPACITY} sources are kept per session; the least recently used one's
 * view is dropped first. A run that loses a view this way while it analyses its statement runs again
 * with a view per step.
 *
 * <p>The session holds no gem's view: runs use it only for source views under generated names
 * ({@code __prophecy_source_<n>}) and for their statements, in which every gem is a common table
 * expression. It is shared by the connection's concurrent runs; a connection is one user's. Thread-safe.
 */
final class SourceViews {
  private static final Logger log = LoggerFactory.getLogger(SourceViews.class);
  static final int CAPACITY = 64;
  static final int MAX_FILES = 10_000;
  private static final Set<String> FILE_FORMATS = Set.of("csv", "json", "parquet", "orc", "text", "avro");
  private static final AtomicLong NAMES = new AtomicLong();

  private final SparkSession spark;
  /** View name by source key, least recently used first. */
  private final LinkedHashMap<String, String> kept = new LinkedHashMap<>(16, 0.75f, true);

  SourceViews(SparkSession spark) {
    this.spark = spark;
  }

  SparkSession spark() {
    return spark;
  }

  /**
   * The view of a kept source: the one defined earlier for the same key, or {@code read}'s frame
   * registered now.
   */
  String keep(String key, Supplier<Dataset<Row>> read) {
    synchronized (this) {
      String view = kept.get(key);
      if (view != null) {
        return view;
      }
    }
    Dataset<Row> df = read.get();
    String view = nextName("__prophecy_source_");
    df.createOrReplaceTempView(view);
    List<String> dropped = new ArrayList<>();
    String chosen;
    synchronized (this) {
      String other = kept.get(key);
      if (other != null) {
        dropped.add(view); // another run defined it meanwhile
        chosen = other;
      } else {
        kept.put(key, view);
        chosen = view;
        for (Iterator<Map.Entry<String, String>> it = kept.entrySet().iterator(); kept.size() > CAPACITY && it.hasNext(); ) {
          dropped.add(it.next().getValue());
          it.remove();
        }
      }
    }
    dropped.forEach(this::drop);
    return chosen;
  }

  /** A view for one run's source, which the run drops with {@link #drop}. */
  String once(Dataset<Row> df) {
    String view = nextName("__prophecy_run_source_");
    df.createOrReplaceTempView(view);
    return view;
  }

  void drop(String view) {
    try {
      spark.catalog().dropTempView(view);
    } catch (RuntimeException e) {
      log.warn("Could not drop the temporary view {} of a pipeline run: {}", view, e.getMessage());
    }
  }

  /** Drops every kept view. */
  void clear() {
    List<String> views;
    synchronized (this) {
      views = List.copyOf(kept.values());
      kept.clear();
    }
    views.forEach(this::drop);
  }

  /** How many sources are kept now. */
  synchronized int size() {
    return kept.size();
  }

  private static String nextName(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  /**
   * The key of a source that can be kept, from what defines it and the state of its files; empty when
   * it cannot be kept (see the class comment).
   */
  static Optional<String> key(DatasetSpec d, StructType schema) {
    String format = d.format().toLowerCase(Locale.ROOT);
    if (!FILE_FORMATS.contains(format) || d.path().isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> path = localPath(d.path().get());
    if (path.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    text.append(format).append('\n').append(d.path().get()).append('\n');
    new TreeMap<>(SparkOptions.of(d)).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append(schema == null ? "(no schema)" : schema.json()).append('\n');
    try {
      Path root = path.get();
      BasicFileAttributes top = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (top.isRegularFile()) {
        text.append(top.size()).append(" ").append(top.lastModifiedTime()).append('\n');
      } else if (top.isDirectory()) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
          Iterator<Path> it = walk.iterator();
          while (it.hasNext()) {
            Path p = it.next();
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) {
              if (files.size() == MAX_FILES) {
                return Optional.empty();
              }
              files.add(root.relativize(p) + " " + a.size() + " " + a.lastModifiedTime()
                  + (a.isRegularFile() ? "" : " other"));
            }
          }
        }
        files.sort(null);
        files.forEach(f -> text.append(f).append('\n'));
      } else {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a missing or unreadable path: the reader says what is wrong
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return Optional.of(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** The local file the path names: a plain path or a {@code file:} URI without glob characters. */
  private static Optional<Path> localPath(String path) {
    String p = path;
    if (p.startsWith("file:")) {
      p = p.substring("file:".length());
      while (p.startsWith("//")) {
        p = p.substring(1);
      }
    } else if (p.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return Optional.empty();
    }
    if (p.isEmpty() || p.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{' || c == ',')) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(p));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}

package io.prophecy.sdk.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the benchmarks share: the SQLite connection settings of the baselines, and clean-up. */
final class Stores {
  private Stores() {}

  /**
   * The pragmas the SDK sets on its SQLite connections, as sqlite-jdbc connection properties, so a
   * baseline connection behaves as the SDK's do.
   */
  static Properties sqlitePragmas() {
    Properties p = new Properties();
    p.setProperty("journal_mode", "WAL");
    p.setProperty("synchronous", "FULL");
    p.setProperty("busy_timeout", "30000");
    p.setProperty("foreign_keys", "true");
    return p;
  }

  /** Deletes a folder and everything under it; nothing when it is null or gone. */
  static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}

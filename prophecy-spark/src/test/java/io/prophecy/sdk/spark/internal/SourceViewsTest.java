package io.prophecy.sdk.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.model.DatasetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceViewsTest {
  @TempDir Path dir;

  static DatasetSpec csv(Path path) {
    return DatasetSpec.builder().name("orders").format("csv").path(path.toString()).putOptions("header", "true").build();
  }

  @Test
  void aLocalFileKeepsItsKeyUntilItChanges() throws Exception {
    Path file = dir.resolve("orders.csv");
    Files.writeString(file, "id\n1\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    Optional<String> first = SourceViews.key(csv(file), null);

    assertThat(first).isPresent();
    assertThat(SourceViews.key(csv(file), null)).isEqualTo(first);
    // the same bytes touched: a new key, as Spark's listing of the file would be stale
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:01Z")));
    Optional<String> touched = SourceViews.key(csv(file), null);
    assertThat(touched).isPresent().isNotEqualTo(first);
    // longer, with the old time put back
    Files.writeString(file, "id\n1\n2\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:01Z")));
    assertThat(SourceViews.key(csv(file), null)).isPresent().isNotEqualTo(touched);
  }

  @Test
  void optionsSchemaFormatAndPathArePartOfTheKey() throws Exception {
    Path file = dir.resolve("orders.csv");
    Files.writeString(file, "id\n1\n");
    String base = SourceViews.key(csv(file), null).orElseThrow();
    DatasetSpec noHeader = DatasetSpec.builder().from(csv(file)).putOptions("header", "false").build();
    assertThat(SourceViews.key(noHeader, null)).isPresent().get().isNotEqualTo(base);
    assertThat(SourceViews.key(csv(file), StructType.fromDDL("id INT"))).isPresent().get().isNotEqualTo(base);
    DatasetSpec json = DatasetSpec.builder().from(csv(file)).format("json").build();
    assertThat(SourceViews.key(json, null)).isPresent().get().isNotEqualTo(base);
    assertThat(SourceViews.key(csv(Path.of("file:" + file)), null)).isPresent().get().isNotEqualTo(base);
  }

  @Test
  void aFolderChangesItsKeyWhenAFileIsAddedOrRemoved() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("parts/day=1"));
    Files.writeString(folder.resolve("a.csv"), "id\n1\n");
    DatasetSpec d = csv(dir.resolve("parts"));
    String before = SourceViews.key(d, null).orElseThrow();

    Path added = Files.writeString(folder.resolve("b.csv"), "id\n2\n");
    String after = SourceViews.key(d, null).orElseThrow();
    assertThat(after).isNotEqualTo(before);
    Files.delete(added);
    assertThat(SourceViews.key(d, null)).contains(before);
  }

  @Test
  void whatCannotBeFingerprintedIsNotKept() throws Exception {
    Path file = Files.writeString(dir.resolve("orders.csv"), "id\n1\n");
    assertThat(SourceViews.key(csv(dir.resolve("missing.csv")), null)).isEmpty();
    assertThat(SourceViews.key(csv(Path.of(dir + "/*.csv")), null)).isEmpty();
    assertThat(SourceViews.key(DatasetSpec.builder().from(csv(file)).path("s3a://bucket/orders.csv").build(), null)).isEmpty();
    assertThat(SourceViews.key(DatasetSpec.builder().from(csv(file)).format("delta").build(), null)).isEmpty();
    assertThat(SourceViews.key(DatasetSpec.builder().name("t").format("catalogTable").table("db.t").build(), null)).isEmpty();
  }
}

package io.prophecy.sdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
  @TempDir Path home;

  @Test
  void theQuickstartRunsAndSaysWhatItDid() throws java.io.IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.run(home, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("Bob is a MEMBER of analytics and sees projects [shop]")
        .contains("member alice@example.com ADMIN", "member bob@example.com MEMBER")
        .contains("project shop lives in " + home.toAbsolutePath().resolve("projects"))
        .contains("datasets [orders (csv), revenue (parquet)]")
        .contains("audit alice@example.com dataset.create team:analytics/project:shop/dataset:orders SUCCESS")
        .contains("audit alice@example.com project.create team:analytics/project:shop SUCCESS")
        .contains("audit alice@example.com member.add team:analytics/member:bob@example.com SUCCESS");
    assertThat(home.resolve("prophecy.db")).exists();
    try (var found = java.nio.file.Files.walk(home.resolve("projects"))) {
      assertThat(found.map(p -> home.relativize(p).toString().replaceAll("projects/[^/]+/", "projects/T/")))
          .contains("projects/T/shop/pbt_project.yml", "projects/T/shop/datasets/orders/default/configs/dataset.json");
    }
  }
}

package io.prophecy.sdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's example is the quickstart's code, so the README never shows code that does not compile. */
class ReadmeSnippetTest {
  @Test
  void theReadmeShowsTheQuickstartAsCompiled() throws Exception {
    String source = Files.readString(Path.of("src/main/java/io/prophecy/sdk/examples/Quickstart.java"));
    String region = source.split("// --8<-- \\[start:quickstart]\n")[1].split("\\s*// --8<-- \\[end:quickstart]")[0];
    String snippet = region.stripIndent().strip();
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).as("README.md must show Quickstart.java's quickstart region verbatim").contains(snippet);
  }
}

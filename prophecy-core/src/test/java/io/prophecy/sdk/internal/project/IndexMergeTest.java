package io.prophecy.sdk.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three-way merge of pbt_project.yml that Git merges use: entry by entry, our text kept. */
class IndexMergeTest {
  private static final String BASE = """
      name: shop
      # the team's shop
      version: 0.0.1
      pipelines:
        pipelines/daily:
          name: daily
          mode: batch
      datasets: {}
      jobs: {}
      """;

  @Test
  void entriesAddedOnBothSidesAreBothKeptInOurText() {
    String ours = BASE.replace("datasets: {}", "datasets:\n  datasets/orders:\n    name: orders");
    String theirs = BASE.replace("pipelines:\n", "pipelines:\n  pipelines/weekly:\n    name: weekly\n    mode: batch\n");
    Optional<String> merged = ProjectFiles.mergeIndex(BASE, ours, theirs);
    assertThat(merged).isPresent();
    var tree = ProjectFiles.parseIndexText(merged.get(), "merged");
    assertThat(tree.path("pipelines").has("pipelines/daily")).isTrue();
    assertThat(tree.path("pipelines").has("pipelines/weekly")).isTrue();
    assertThat(tree.path("datasets").has("datasets/orders")).isTrue();
    assertThat(merged.get()).contains("# the team's shop");
  }

  @Test
  void aValueChangedOnOneSideAndAnEntryRemovedOnTheOtherMerge() {
    String ours = BASE.replace("version: 0.0.1", "version: 0.0.2");
    String theirs = BASE.replace("  pipelines/daily:\n    name: daily\n    mode: batch\n", "");
    var tree = ProjectFiles.parseIndexText(ProjectFiles.mergeIndex(BASE, ours, theirs).orElseThrow(), "merged");
    assertThat(tree.path("version").asText()).isEqualTo("0.0.2");
    assertThat(tree.path("pipelines").has("pipelines/daily")).isFalse();
  }

  @Test
  void oneEntryChangedDifferentlyOnBothSidesIsAConflict() {
    String ours = BASE.replace("mode: batch", "mode: stream");
    String theirs = BASE.replace("mode: batch", "mode: interactive");
    assertThat(ProjectFiles.mergeIndex(BASE, ours, theirs)).isEmpty();
    assertThat(ProjectFiles.mergeIndex(BASE, BASE.replace("0.0.1", "0.1.0"), BASE.replace("0.0.1", "0.2.0"))).isEmpty();
  }

  @Test
  void theSameChangeOnBothSidesIsNoConflict() {
    String both = BASE.replace("version: 0.0.1", "version: 1.0.0");
    assertThat(ProjectFiles.mergeIndex(BASE, both, both)).contains(both);
  }

  @Test
  void textThatIsNoIndexIsNotMerged() {
    assertThat(ProjectFiles.mergeIndex(BASE, "- a list\n", BASE)).isEmpty();
  }
}

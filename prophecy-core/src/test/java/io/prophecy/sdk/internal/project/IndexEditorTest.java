package io.prophecy.sdk.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edits of pbt_project.yml change only the lines they must; shapes it cannot edit in place are rewritten whole. */
class IndexEditorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir
  Path tmp;

  private static ObjectNode tree(String text) throws Exception {
    return (ObjectNode) YAML.readTree(text);
  }

  private static String edit(String text, IndexEditor.Change change) throws Exception {
    return ProjectFiles.edited(text, tree(text), List.of(change));
  }

  private static ObjectNode entry(String name) {
    ObjectNode e = NODES.objectNode();
    e.put("name", name);
    e.put("description", "");
    e.putObject("datasets").putArray("inputs").add("datasets/a");
    ((ObjectNode) e.get("datasets")).putArray("outputs");
    return e;
  }

  private static final String HAND_WRITTEN = """
      # The shop project. Edited by hand as well as by tools.
      name: shop
      version: "0.3.1"   # bump on every release
      language: python
      pipelines:
        # the nightly one first
        "pipelines/nightly":
          name: nightly
          description: >-
            Loads the day's orders
            and the returns
          datasets:
            inputs:
              - datasets/orders
            outputs: []

      datasets: {}   # none yet
      flags:
        keep: yes
      """;

  @Test
  void settingOneValueChangesOnlyItsLineAndKeepsItsComment() throws Exception {
    String after = edit(HAND_WRITTEN, new IndexEditor.Put(List.of("version"), TextNode.valueOf("0.3.2")));
    TextDiff diff = TextDiff.of(HAND_WRITTEN, after);
    assertThat(diff.removed()).containsExactly("version: \"0.3.1\"   # bump on every release");
    assertThat(diff.added()).containsExactly("version: 0.3.2   # bump on every release");
    assertThat(tree(after).get("version").asText()).isEqualTo("0.3.2");
  }

  @Test
  void anEntryIsAddedAfterTheLastOneAndTheRestKeepsItsBytes() throws Exception {
    String after = edit(HAND_WRITTEN, new IndexEditor.Put(List.of("pipelines", "pipelines/weekly"), entry("weekly")));
    TextDiff diff = TextDiff.of(HAND_WRITTEN, after);
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.added()).containsExactly(
        "  pipelines/weekly:",
        "    name: weekly",
        "    description: ''",
        "    datasets:",
        "      inputs:",
        "      - datasets/a",
        "      outputs: []");
    assertThat(after).contains("      outputs: []\n  pipelines/weekly:\n", "\n\ndatasets: {}   # none yet\n");
  }

  @Test
  void replacingAnEntryRewritesOnlyTheKeysThatDiffer() throws Exception {
    ObjectNode nightly = (ObjectNode) tree(HAND_WRITTEN).get("pipelines").get("pipelines/nightly").deepCopy();
    ((ObjectNode) nightly.get("datasets")).putArray("outputs").add("datasets/report");
    nightly.put("modifiedAt", "2024-06-01 12:00:00");
    String after = edit(HAND_WRITTEN, new IndexEditor.Put(List.of("pipelines", "pipelines/nightly"), nightly));
    TextDiff diff = TextDiff.of(HAND_WRITTEN, after);
    assertThat(diff.removed()).containsExactly("      outputs: []");
    assertThat(diff.added()).containsExactly("      outputs:", "      - datasets/report", "    modifiedAt: '2024-06-01 12:00:00'");
    // The folded description and the indented sequence stay as they were.
    assertThat(after).contains("    description: >-\n      Loads the day's orders\n", "      inputs:\n        - datasets/orders\n");
  }

  @Test
  void removingTheLastEntryLeavesAnEmptyMap() throws Exception {
    String after = edit(HAND_WRITTEN, new IndexEditor.Remove(List.of("pipelines", "pipelines/nightly")));
    assertThat(after).isEqualTo("""
        # The shop project. Edited by hand as well as by tools.
        name: shop
        version: "0.3.1"   # bump on every release
        language: python
        pipelines: {}
          # the nightly one first

        datasets: {}   # none yet
        flags:
          keep: yes
        """);
    assertThat(tree(after).get("pipelines").isEmpty()).isTrue();
  }

  @Test
  void anEmptyOrNullSectionTakesItsFirstEntry() throws Exception {
    String emptyMap = "name: a\ndatasets: {}\njobs: {}\n";
    assertThat(edit(emptyMap, new IndexEditor.Put(List.of("datasets", "datasets/x"), entry("x"))))
        .isEqualTo("name: a\ndatasets:\n  datasets/x:\n    name: x\n    description: ''\n    datasets:\n      inputs:\n"
            + "      - datasets/a\n      outputs: []\njobs: {}\n");
    String nothing = "name: a\ndatasets:\njobs: {}\n";
    assertThat(edit(nothing, new IndexEditor.Put(List.of("datasets", "datasets/x"), entry("x"))))
        .startsWith("name: a\ndatasets:\n  datasets/x:\n    name: x\n").endsWith("jobs: {}\n");
    String absent = "name: a";
    assertThat(edit(absent, new IndexEditor.Put(List.of("jobs", "jobs/j"), NODES.objectNode().put("name", "j"))))
        .isEqualTo("name: a\njobs:\n  jobs/j:\n    name: j");
  }

  @Test
  void lineEndingsAndAMissingFinalNewlineAreKept() throws Exception {
    String crlf = "name: a\r\nversion: 0.0.1\r\npipelines: {}\r\n";
    assertThat(edit(crlf, new IndexEditor.Put(List.of("version"), TextNode.valueOf("0.0.2"))))
        .isEqualTo("name: a\r\nversion: 0.0.2\r\npipelines: {}\r\n");
    String noFinal = "name: a\nversion: 0.0.1";
    assertThat(edit(noFinal, new IndexEditor.Put(List.of("version"), TextNode.valueOf("0.0.2")))).isEqualTo("name: a\nversion: 0.0.2");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "name: a\npipelines: {pipelines/x: {name: x}}\n",
      "{name: a, pipelines: {}}\n",
      "name: a\npipelines: &p\n  pipelines/x:\n    name: x\nother: *p\n"})
  void aShapeItCannotEditInPlaceIsRewrittenWhole(String text) throws Exception {
    ObjectNode before = tree(text);
    String after = edit(text, new IndexEditor.Put(List.of("pipelines", "pipelines/y"), entry("y")));
    ObjectNode expected = before.deepCopy();
    ((ObjectNode) expected.get("pipelines")).set("pipelines/y", entry("y"));
    assertThat((JsonNode) tree(after)).isEqualTo(expected);
    assertThat(after).startsWith("name: a\n").contains("\n  pipelines/y:\n    name: y\n");
  }

  @Test
  void projectFilesEditTheIndexInPlace() throws Exception {
    Path root = tmp.resolve("shop");
    Files.createDirectories(root);
    Files.writeString(root.resolve("pbt_project.yml"), HAND_WRITTEN);
    ProjectFiles files = new ProjectFiles(root, tmp.resolve("shop.lock"), Clock.systemUTC());
    files.setIndexValue(List.of("version"), TextNode.valueOf("0.4.0"));
    files.setIndexValue(List.of("flags", "keep"), NODES.booleanNode(false));
    String after = Files.readString(root.resolve("pbt_project.yml"));
    assertThat(after).isEqualTo(HAND_WRITTEN.replace("\"0.3.1\"", "0.4.0").replace("keep: yes", "keep: false"));
    assertThat(files.removeJob("nope")).isFalse();
    assertThat(Files.readString(root.resolve("pbt_project.yml"))).isEqualTo(after);
  }

  @Test
  void theIndexReadAgainIsAFreshCopyAndFollowsEveryChangeToTheFile() throws Exception {
    Path root = tmp.resolve("reread");
    Files.createDirectories(root);
    Files.writeString(root.resolve("pbt_project.yml"), HAND_WRITTEN);
    ProjectFiles files = new ProjectFiles(root, tmp.resolve("reread.lock"), Clock.systemUTC());
    ObjectNode first = files.index();
    assertThat((JsonNode) first).isEqualTo(tree(HAND_WRITTEN));
    first.put("version", "changed by the caller");
    ObjectNode second = new ProjectFiles(root, tmp.resolve("reread.lock"), Clock.systemUTC()).index();
    assertThat(second).isNotSameAs(first);
    assertThat((JsonNode) second).isEqualTo(tree(HAND_WRITTEN));
    // a change made outside the SDK (an editor, a Git checkout) is seen by the next read
    Files.writeString(root.resolve("pbt_project.yml"), HAND_WRITTEN.replace("\"0.3.1\"", "0.9.0"));
    assertThat(files.index().path("version").asText()).isEqualTo("0.9.0");
    Files.writeString(root.resolve("pbt_project.yml"), "- not\n- a map\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(files::index)
        .isInstanceOf(io.prophecy.sdk.InvalidInputException.class).hasMessageContaining("pbt_project.yml");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain text", "2024-06-01 12:00:00", "2024-06-01", "12654", "0.1", "0.0.1", "1e3", "true", "Yes", "y", "N", "on",
      "no", "null", "~", "a: b", "a:b", "ends:", "#hash", "a #b", "a#b", "- item", "-1", "?", "key: 'x'", "'quoted'", "\"dq\"",
      "{curly}", "[square]", "*star", "&amp", "!bang", "%pct", "@at", "`tick`", " leading", "trailing ", "two\nlines",
      "tab\there", "back\\slash", "ünïcödé", "gitUri=http://gitserver:3000/x.git&subPath=", "0 0 2 1/1 * ? *", "--- doc", "=", "<<"})
  void everyStringReadsBackAsItself(String value) throws Exception {
    ObjectNode doc = NODES.objectNode();
    doc.put(value.isEmpty() ? "empty" : value, value);
    doc.putArray("list").add(value).addObject().put("k", value);
    String text = YamlEmitter.document(doc);
    assertThat((JsonNode) tree(text)).as(text).isEqualTo(doc);
  }

  @Test
  void valuesAreWrittenInProphecysStyle() {
    ObjectNode e = NODES.objectNode();
    e.put("name", "daily");
    e.put("description", "");
    e.put("createdAt", "2024-06-01 12:00:00");
    e.put("fabricUID", 4711);
    e.putNull("timeout");
    e.put("enabled", true);
    e.putObject("scheduler").putObject("Databricks");
    e.putArray("pipelines").add("pipelines/a").add("pipelines/b");
    e.putArray("dependencies").addObject().put("type", "plibPypi").put("version", "1.9.28");
    ObjectNode p = e.putObject("projectDependencies").putObject("12654");
    p.put("projectUID", 12654);
    assertThat(YamlEmitter.document(e)).isEqualTo("""
        name: daily
        description: ''
        createdAt: '2024-06-01 12:00:00'
        fabricUID: 4711
        timeout: null
        enabled: true
        scheduler:
          Databricks: {}
        pipelines:
        - pipelines/a
        - pipelines/b
        dependencies:
        - type: plibPypi
          version: 1.9.28
        projectDependencies:
          '12654':
            projectUID: 12654
        """);
  }

  @Test
  void aFreshProjectIndexIsInProphecysStyle() throws Exception {
    Path root = tmp.resolve("fresh");
    Files.createDirectories(root);
    ProjectFiles files = new ProjectFiles(root, tmp.resolve("fresh.lock"), Clock.systemUTC());
    files.initialize("fresh", Optional.empty(), "python", "alice@example.com", "alice_team");
    assertThat(Files.readString(root.resolve("pbt_project.yml"))).startsWith("""
        name: fresh
        description: ''
        version: 0.0.1
        author: alice@example.com
        language: python
        buildSystemDetails:
          artefactID: fresh
          parentArtefactID: alice_team
          buildSystem: wheel
        pipelines: {}
        datasets: {}
        """);
  }
}

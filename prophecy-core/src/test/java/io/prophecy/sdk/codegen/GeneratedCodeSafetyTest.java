package io.prophecy.sdk.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both generators: the same pipeline gives the same bytes, and no secret ever reaches the code. */
class GeneratedCodeSafetyTest {
  @TempDir
  Path dir;

  private static final List<BiFunction<PipelineGraph, DatasetLookup, SortedMap<String, String>>> GENERATORS = List.of(
      (g, d) -> PySparkGenerator.generate(g, d, "pipeline_pkg"),
      (g, d) -> ScalaGenerator.generate(g, d, "pipeline_pkg"));

  @Test
  void theSamePipelineGivesTheSameBytes() {
    for (String language : List.of("python", "scala")) {
      var generate = GENERATORS.get(language.equals("python") ? 0 : 1);
      SortedMap<String, String> first = generate.apply(CodegenFixtures.allGems(language), CodegenFixtures.datasets(dir));
      // a graph built again, and one read back from its own workflow file, give the same files
      SortedMap<String, String> second = generate.apply(CodegenFixtures.allGems(language), CodegenFixtures.datasets(dir));
      PipelineGraph reread = PipelineGraph.fromWorkflow("all_gems", CodegenFixtures.allGems(language).toWorkflow());
      SortedMap<String, String> third = generate.apply(reread, CodegenFixtures.datasets(dir));
      assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
      assertThat(third.keySet()).containsExactlyElementsOf(first.keySet());
      for (String path : first.keySet()) {
        byte[] bytes = first.get(path).getBytes(StandardCharsets.UTF_8);
        assertThat(second.get(path).getBytes(StandardCharsets.UTF_8)).as(path).isEqualTo(bytes);
        assertThat(third.get(path).getBytes(StandardCharsets.UTF_8)).as(path).isEqualTo(bytes);
      }
      assertThat(new ArrayList<>(first.keySet())).isSorted();
      assertThat(String.join("\n", first.values())).doesNotContainPattern("20[0-9]{2}-[0-9]{2}-[0-9]{2}");
    }
  }

  @Test
  void noSecretReachesTheCode() throws Exception {
    ObjectNode workflow = CodegenFixtures.secretPipeline().toWorkflow();
    ObjectNode meta = (ObjectNode) workflow.get("metainfo");
    ObjectMapper json = new ObjectMapper();
    meta.set("sparkConf", json.readTree("[{\"name\": \"spark.sql.shuffle.partitions\", \"value\": \"8\"},"
        + "{\"name\": \"fs.azure.account.key.acct.dfs.core.windows.net\", \"value\": \"" + CodegenFixtures.SECRETS.get(4)
        + "\"}]"));
    PipelineGraph graph = PipelineGraph.fromWorkflow("secrets", workflow);
    for (var generate : GENERATORS) {
      SortedMap<String, String> files = generate.apply(graph, CodegenFixtures.secretDatasets());
      String all = String.join("\n", files.values());
      for (String secret : CodegenFixtures.SECRETS) {
        assertThat(all).doesNotContain(secret);
      }
      // what was left out is said where it was left out, without its value
      String source = files.entrySet().stream().filter(e -> e.getKey().matches(".*graph/Orders\\.(py|scala)"))
          .map(Map.Entry::getValue).findFirst().orElseThrow();
      assertThat(source).contains("option \"password\"", "option \"token\"", "the credentials in option \"url\"",
          "Secrets come from the fabric's credentials")
          .contains("jdbc:postgresql://db.example.com:5432/shop?user=etl&ssl=true")
          .contains("\"user\", \"etl\"").contains("\"dbtable\", \"public.orders\"");
      String target = files.entrySet().stream().filter(e -> e.getKey().matches(".*graph/Revenue\\.(py|scala)"))
          .map(Map.Entry::getValue).findFirst().orElseThrow();
      assertThat(target).contains("s3a://etl@bucket/revenue", "option \"fs.s3a.secret.key\"", "mode(\"append\")");
      assertThat(all).contains("spark.sql.shuffle.partitions", "Setting fs.azure.account.key.acct.dfs.core.windows.net "
          + "is left out");
      // the secret configuration field exists, with no value in code or in the instance files
      assertThat(all).contains("db_password");
      files.entrySet().stream().filter(e -> e.getKey().endsWith("prod.json"))
          .forEach(e -> assertThat(e.getValue()).doesNotContain("db_password").contains("\"region\" : \"US\""));
    }
  }

  @Test
  void noSecretReachesTheSparkSqlScript() {
    String script = SparkSqlCompiler.script(CodegenFixtures.secretPipeline(), CodegenFixtures.secretDatasets(),
        Map.of("db_password", CodegenFixtures.SECRETS.get(3), "region", "EU"));
    for (String secret : CodegenFixtures.SECRETS) {
      assertThat(script).doesNotContain(secret);
    }
    // the target's path keeps its user and host; the read keeps the JDBC URL without its password
    assertThat(script).contains("INSERT OVERWRITE DIRECTORY 's3a://etl@bucket/revenue'")
        .contains("jdbc:postgresql://db.example.com:5432/shop?user=etl&ssl=true");
  }
}

package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.service.compute.CancelCommand;
import com.databricks.sdk.service.compute.Command;
import com.databricks.sdk.service.compute.CreateCluster;
import com.databricks.sdk.service.compute.CreateContext;
import com.databricks.sdk.service.compute.DestroyContext;
import com.databricks.sdk.service.compute.Language;
import com.databricks.sdk.service.compute.StartCluster;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.databricks.ClusterSpec;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The request bodies our Clusters API 2.0 and Command Execution API 1.2 clients send, captured from the real
 * clients against MockWebServer, read into the official SDK's model classes
 * ({@code com.databricks:databricks-sdk-java}, test scope only) with Jackson failing on any property the
 * model does not have and on enum values it does not know. Each is then written back from the model and
 * must give the same JSON, so no field was dropped or renamed on the way, and the key fields are checked
 * by the model's getters.
 */
class SdkModelCompatibilityTest {
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** Reads the body into the model, and checks the model writes back exactly the body. */
  private static <T> T read(RecordedRequest r, Class<T> model) throws Exception {
    String body = r.getBody().utf8();
    T value = STRICT.readValue(body, model);
    JsonNode back = STRICT.readTree(STRICT.writeValueAsString(value));
    assertThat(back).as("%s written back from %s", r.getTarget(), model.getSimpleName())
        .isEqualTo(STRICT.readTree(body));
    return value;
  }

  @Test
  void clustersCreateAndStartBodiesReadIntoTheSdkModels() throws Exception {
    try (MockWorkspace ws = new MockWorkspace()) {
      ClustersClient clusters = new ClustersClient(ws.http(ws.settings()), ws.test.platform().sleeper(), ws.test.clock);
      ws.enqueue(200, "{\"cluster_id\":\"1201-093000-sdkcheck\"}");
      ws.enqueue(200, "{}");

      String id = clusters.create(ClusterSpec.of("alice-dev", "15.4.x-scala2.12", "i3.xlarge", 2)
          .withAutoterminationMinutes(30)
          .withSparkConf(Map.of("spark.sql.shuffle.partitions", "8", "spark.databricks.delta.preview.enabled", "true")));
      clusters.start(id);

      CreateCluster create = read(ws.take("POST", "/api/2.0/clusters/create"), CreateCluster.class);
      assertThat(create.getClusterName()).isEqualTo("alice-dev");
      assertThat(create.getSparkVersion()).isEqualTo("15.4.x-scala2.12");
      assertThat(create.getNodeTypeId()).isEqualTo("i3.xlarge");
      assertThat(create.getNumWorkers()).isEqualTo(2L);
      assertThat(create.getAutoterminationMinutes()).isEqualTo(30L);
      assertThat(create.getSparkConf()).containsExactlyInAnyOrderEntriesOf(
          Map.of("spark.sql.shuffle.partitions", "8", "spark.databricks.delta.preview.enabled", "true"));
      StartCluster start = read(ws.take("POST", "/api/2.0/clusters/start"), StartCluster.class);
      assertThat(start.getClusterId()).isEqualTo("1201-093000-sdkcheck");
      assertThat(ws.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void commandApiBodiesOfEveryLanguageReadIntoTheSdkModels() throws Exception {
    try (MockWorkspace ws = new MockWorkspace()) {
      FakeCommandApi api = new FakeCommandApi();
      api.commandScript = List.of("Running");
      ws.server.setDispatcher(api);
      DatabricksFabricConnection connection = ws.connect(ws.settings().withClusterId(FakeCommandApi.CLUSTER));
      List<CodeLanguage> languages = List.of(CodeLanguage.sql("spark"), CodeLanguage.python(), CodeLanguage.scala());
      List<String> commandIds = new ArrayList<>();
      for (CodeLanguage language : languages) {
        try (ExecutionSession session = connection.openSession(SessionOptions.of(language))) {
          Execution run = session.submit(new CodeUnit("Gem_" + language.kind(), language, "text of " + language.kind()));
          commandIds.add(run.id());
          run.cancel();
        }
      }
      connection.close();
      assertThat(api.problems).isEmpty();
      assertThat(api.leaked()).isEmpty();

      List<RecordedRequest> posts = new ArrayList<>();
      for (int i = ws.requestCount(); i > 0; i--) {
        RecordedRequest r = ws.take();
        if (r.getMethod().equals("POST")) {
          posts.add(r);
        }
      }
      assertThat(posts).extracting(RecordedRequest::getTarget).containsExactly(
          "/api/1.2/contexts/create", "/api/1.2/commands/execute", "/api/1.2/commands/cancel", "/api/1.2/contexts/destroy",
          "/api/1.2/contexts/create", "/api/1.2/commands/execute", "/api/1.2/commands/cancel", "/api/1.2/contexts/destroy",
          "/api/1.2/contexts/create", "/api/1.2/commands/execute", "/api/1.2/commands/cancel", "/api/1.2/contexts/destroy");
      List<Language> sdkLanguages = List.of(Language.SQL, Language.PYTHON, Language.SCALA);
      for (int i = 0; i < languages.size(); i++) {
        String context = api.created.get(i);
        String kind = languages.get(i).kind().toString();

        CreateContext create = read(posts.get(4 * i), CreateContext.class);
        assertThat(create.getClusterId()).isEqualTo(FakeCommandApi.CLUSTER);
        assertThat(create.getLanguage()).isEqualTo(sdkLanguages.get(i));

        Command execute = read(posts.get(4 * i + 1), Command.class);
        assertThat(execute.getClusterId()).isEqualTo(FakeCommandApi.CLUSTER);
        assertThat(execute.getContextId()).isEqualTo(context);
        assertThat(execute.getLanguage()).isEqualTo(sdkLanguages.get(i));
        assertThat(execute.getCommand()).isEqualTo("text of " + kind);

        CancelCommand cancel = read(posts.get(4 * i + 2), CancelCommand.class);
        assertThat(cancel.getClusterId()).isEqualTo(FakeCommandApi.CLUSTER);
        assertThat(cancel.getContextId()).isEqualTo(context);
        assertThat(cancel.getCommandId()).isEqualTo(commandIds.get(i));

        DestroyContext destroy = read(posts.get(4 * i + 3), DestroyContext.class);
        assertThat(destroy.getClusterId()).isEqualTo(FakeCommandApi.CLUSTER);
        assertThat(destroy.getContextId()).isEqualTo(context);
      }
    }
  }

  @Test
  void theStrictReaderRefusesAFieldTheModelDoesNotHaveAndAnUnknownLanguage() {
    // the check above can fail: a misspelt field or an unknown language is refused, not dropped
    assertThatThrownBy(() -> STRICT.readValue(
        "{\"clusterId\":\"c\",\"langauge\":\"sql\"}", CreateContext.class))
        .hasMessageContaining("langauge");
    assertThatThrownBy(() -> STRICT.readValue(
        "{\"clusterId\":\"c\",\"language\":\"sparksql\"}", CreateContext.class))
        .hasMessageContaining("sparksql");
  }
}

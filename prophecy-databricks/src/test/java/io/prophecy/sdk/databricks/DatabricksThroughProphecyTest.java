package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector through the SDK itself: core discovers the kind, checks the fabric's settings against
 * the descriptor, keeps the token in the vault, and connects with it.
 */
class DatabricksThroughProphecyTest {
  private static final String TOKEN = "dapi-through-core-SECRET";

  @Test
  void aTeamFabricOfKindDatabricksRunsCodeWithTheUsersToken(@TempDir Path home) throws Exception {
    try (MockWebServer server = new MockWebServer(); Prophecy prophecy = Prophecy.builder().home(home).build()) {
      server.start();
      String url = server.url("/").toString();
      ProphecySession alice = prophecy.as(prophecy.users().create("alice@example.com"));
      Fabric dbx = alice.teams().create("analytics").fabrics().create(FabricSpec.builder().kind("databricks")
          .name("dev").putSettings("workspaceUrl", url.substring(0, url.length() - 1))
          .putSettings("clusterId", "0923-164208-meows279").build());
      dbx.credentials().set(Credentials.ofSecret("token", Secret.of(TOKEN)));
      enqueue(server, "{\"cluster_id\":\"0923-164208-meows279\",\"cluster_name\":\"shared\",\"state\":\"RUNNING\"}");
      enqueue(server, "{\"id\":\"ctx-1\"}");
      enqueue(server, "{\"id\":\"ctx-1\",\"status\":\"Running\"}");
      enqueue(server, "{\"id\":\"cmd-1\"}");
      enqueue(server, "{\"id\":\"cmd-1\",\"status\":\"Finished\",\"results\":{\"resultType\":\"table\","
          + "\"data\":[[1]],\"schema\":[{\"name\":\"one\",\"type\":\"\\\"integer\\\"\"}],\"truncated\":false}}");
      enqueue(server, "{\"id\":\"ctx-1\"}");

      ExecutionResult result;
      try (FabricConnection c = dbx.connect();
          ExecutionSession s = c.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
        // core hands out its own (redacting) view of the connection, which is a DatabricksConnection too
        assertThat(c).isInstanceOf(DatabricksConnection.class);
        result = s.submit(new CodeUnit("probe", CodeLanguage.sql("spark"), "SELECT 1 AS one"))
            .await(Duration.ofMinutes(1));
      }

      assertThat(result.status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
      assertThat(result.tables().get(0).rows()).containsExactly(List.of(1L));
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        targets.add(r.getMethod() + " " + r.getTarget());
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getHeaders().get("User-Agent"))
            .isEqualTo("prophecy-java-sdk/" + Prophecy.version() + " java/" + System.getProperty("java.version"));
      }
      assertThat(targets).containsExactly("GET /api/2.0/clusters/get?cluster_id=0923-164208-meows279",
          "POST /api/1.2/contexts/create", "GET /api/1.2/contexts/status?clusterId=0923-164208-meows279&contextId=ctx-1",
          "POST /api/1.2/commands/execute",
          "GET /api/1.2/commands/status?clusterId=0923-164208-meows279&contextId=ctx-1&commandId=cmd-1",
          "POST /api/1.2/contexts/destroy");
    }
  }

  private static void enqueue(MockWebServer server, String json) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(json)
        .build());
  }
}

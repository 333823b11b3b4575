package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.FabricConnection;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector's own API through core: {@code Fabric.connect()} returns core's redacting view, which is
 * a {@link DatabricksConnection} (by cast and by {@code unwrap}), so the clusters are reached; errors
 * keep their SDK types and lose the token.
 */
class ClustersThroughProphecyTest {
  private static final String CLUSTER = "0923-164208-meows279";
  private static final String USER_AGENT = "prophecy-java-sdk/" + Prophecy.version() + " java/"
      + System.getProperty("java.version");

  @Test
  void clustersAreReachedThroughFabricConnectAndKeepTheirExceptionTypes(@TempDir Path home) throws Exception {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    String token = "dapi" + HexFormat.of().formatHex(bytes);
    try (MockWebServer server = new MockWebServer(); Prophecy prophecy = Prophecy.builder().home(home).build()) {
      server.start();
      String url = server.url("/").toString();
      Fabric dbx = prophecy.as(prophecy.users().create("alice@example.com")).teams().create("analytics").fabrics()
          .create(FabricSpec.builder().kind("databricks").name("dev")
              .putSettings("workspaceUrl", url.substring(0, url.length() - 1)).putSettings("clusterId", CLUSTER).build());
      dbx.credentials().set(Credentials.ofSecret("token", Secret.of(token)));
      enqueue(server, 200, "{\"clusters\":[{\"cluster_id\":\"" + CLUSTER + "\",\"cluster_name\":\"shared\","
          + "\"spark_version\":\"15.4.x-scala2.12\",\"state\":\"RUNNING\",\"state_message\":\"\"}]}");
      enqueue(server, 400, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Cluster nope does not exist\"}");
      // a careless server that echoes the token
      enqueue(server, 403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"token " + token + " may not read it\"}");

      try (FabricConnection c = dbx.connect()) {
        DatabricksConnection d = c.unwrap(DatabricksConnection.class).orElseThrow();
        assertThat(d).isSameAs(c);
        assertThat(c.unwrap(String.class)).isEmpty();
        Clusters clusters = d.clusters();
        assertThat(clusters.list()).extracting(Cluster::id, Cluster::state).containsExactly(
            org.assertj.core.groups.Tuple.tuple(CLUSTER, ClusterState.RUNNING));
        assertThatThrownBy(() -> clusters.get("nope")).isExactlyInstanceOf(NotFoundException.class)
            .hasMessageContaining("Cluster nope does not exist");
        assertThatThrownBy(() -> clusters.get("secret")).isExactlyInstanceOf(PermissionDeniedException.class)
            .hasMessageContaining("may not read it").hasMessageNotContaining(token)
            .satisfies(e -> assertThat(e.getMessage()).contains("****"));
      }

      take(server, token, "/api/2.0/clusters/list");
      take(server, token, "/api/2.0/clusters/get?cluster_id=nope");
      take(server, token, "/api/2.0/clusters/get?cluster_id=secret");
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }

  private static void take(MockWebServer server, String token, String target) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.getMethod() + " " + r.getTarget()).isEqualTo("GET " + target);
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + token);
    assertThat(r.getHeaders().get("User-Agent")).isEqualTo(USER_AGENT);
    assertThat(r.getBodySize()).isZero();
  }

  private static void enqueue(MockWebServer server, int code, String json) {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(json)
        .build());
  }
}

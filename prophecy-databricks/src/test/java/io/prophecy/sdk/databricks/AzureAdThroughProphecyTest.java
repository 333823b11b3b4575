package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure AD credentials through the SDK itself: the first connection generates the user's personal
 * access token with the Azure AD bearer and core stores it in the vault, encrypted; the next
 * connection uses the stored token without asking Azure AD or creating another.
 */
class AzureAdThroughProphecyTest {
  private static String fake(String prefix) {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  @Test
  void theGeneratedTokenIsStoredInTheVaultAndUsedByTheNextConnection(@TempDir Path home) throws Exception {
    String clientSecret = fake("aad~");
    String aadToken = fake("eyJ0eXAi-");
    String pat = fake("dapi");
    try (MockWebServer workspace = new MockWebServer(); MockWebServer aad = new MockWebServer();
        Prophecy prophecy = Prophecy.builder().home(home).build()) {
      workspace.start();
      aad.start();
      String url = workspace.url("/").toString();
      ProphecySession alice = prophecy.as(prophecy.users().create("alice@example.com"));
      Fabric dbx = alice.teams().create("analytics").fabrics().create(FabricSpec.builder().kind("databricks")
          .name("dev").putSettings("workspaceUrl", url.substring(0, url.length() - 1))
          .putSettings("clusterId", "0923-164208-meows279")
          .putSettings("azureAdAuthority", aad.url("/").toString()).build());
      dbx.credentials().set(Credentials.builder().put("azureTenantId", "tenant-1").put("azureClientId", "app-1")
          .put("azureClientSecret", Secret.of(clientSecret)).build());

      aad.enqueue(json("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"" + aadToken + "\"}"));
      long now = Instant.now().toEpochMilli();
      workspace.enqueue(json("{\"token_value\":\"" + pat + "\",\"token_info\":{\"token_id\":\"tok-1\",\"creation_time\":"
          + now + ",\"expiry_time\":" + (now + 86_400_000L) + "}}"));
      for (int round = 0; round < 2; round++) {
        workspace.enqueue(json("{\"cluster_id\":\"0923-164208-meows279\",\"state\":\"RUNNING\"}"));
        workspace.enqueue(json("{\"id\":\"ctx-" + round + "\"}"));
        workspace.enqueue(json("{\"id\":\"ctx-" + round + "\",\"status\":\"Running\"}"));
        workspace.enqueue(json("{}"));
        try (FabricConnection c = dbx.connect();
            ExecutionSession s = c.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
          assertThat(s.language()).isEqualTo(CodeLanguage.sql("spark"));
        }
      }

      RecordedRequest token = aad.takeRequest(5, TimeUnit.SECONDS);
      assertThat(token.getMethod() + " " + token.getTarget()).isEqualTo("POST /tenant-1/oauth2/v2.0/token");
      assertThat(token.getBody().utf8()).isEqualTo("grant_type=client_credentials&client_id=app-1&client_secret="
          + java.net.URLEncoder.encode(clientSecret, StandardCharsets.UTF_8) + "&scope=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d%2F.default");
      assertThat(aad.getRequestCount()).isEqualTo(1);
      List<String> calls = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        RecordedRequest r = workspace.takeRequest(5, TimeUnit.SECONDS);
        calls.add(r.getMethod() + " " + r.getTarget() + " " + r.getHeaders().get("Authorization"));
        if (i == 0) {
          assertThat(r.getBody().utf8()).isEqualTo("{\"lifetime_seconds\":86400,\"comment\":\"Prophecy SDK: fabric dev"
              + " of alice@example.com\"}");
        }
      }
      String cluster = "0923-164208-meows279";
      assertThat(calls).containsExactly("POST /api/2.0/token/create Bearer " + aadToken,
          "GET /api/2.0/clusters/get?cluster_id=" + cluster + " Bearer " + pat,
          "POST /api/1.2/contexts/create Bearer " + pat,
          "GET /api/1.2/contexts/status?clusterId=" + cluster + "&contextId=ctx-0 Bearer " + pat,
          "POST /api/1.2/contexts/destroy Bearer " + pat,
          "GET /api/2.0/clusters/get?cluster_id=" + cluster + " Bearer " + pat,
          "POST /api/1.2/contexts/create Bearer " + pat,
          "GET /api/1.2/contexts/status?clusterId=" + cluster + "&contextId=ctx-1 Bearer " + pat,
          "POST /api/1.2/contexts/destroy Bearer " + pat);

      Credentials stored = dbx.credentials().get().orElseThrow();
      assertThat(stored.secret("generatedToken").orElseThrow().reveal()).isEqualTo(pat);
      assertThat(stored.get("generatedTokenId")).contains("tok-1");
      assertThat(stored.secret("azureClientSecret").orElseThrow().reveal()).isEqualTo(clientSecret);
      AuditEvent update = prophecy.auditLog(100).stream().filter(e -> e.action().equals("credential.update"))
          .findFirst().orElseThrow();
      assertThat(update.detail()).contains("fields=[generatedToken, generatedTokenCreatedAt, generatedTokenExpiresAt,"
          + " generatedTokenId] by the connector");
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
            .doesNotContain(pat).doesNotContain(clientSecret);
      }
    }
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }
}

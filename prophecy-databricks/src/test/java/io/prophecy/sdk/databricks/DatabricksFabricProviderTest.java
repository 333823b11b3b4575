package io.prophecy.sdk.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The provider as the SDK sees it: found by ServiceLoader, its descriptor, and connect's checks. */
class DatabricksFabricProviderTest {
  private static final String TOKEN = "dapi-provider-test-SECRET";
  private static final String AGENT = "prophecy-java-sdk/" + Prophecy.version() + " java/" + System.getProperty("java.version");

  private static FabricConfig config(Map<String, String> settings) {
    return FabricConfig.builder().fabricId("f1").name("dev").kind("databricks").team("analytics")
        .putAllSettings(settings).build();
  }

  private static ConnectorContext context() {
    return new ConnectorContext() {
      @Override
      public String userAgent() {
        return AGENT;
      }

      @Override
      public Path workDirectory() {
        return Path.of("target");
      }

      @Override
      public String userEmail() {
        return "alice@example.com";
      }
    };
  }

  @Test
  void isFoundByServiceLoader() {
    List<FabricProvider> found = ServiceLoader.load(FabricProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.kind().equals("databricks")).toList();
    assertThat(found).hasSize(1).first().isInstanceOf(DatabricksFabricProvider.class);
  }

  @Test
  void describesItsSettingsTokenAndCapabilities() {
    var d = new DatabricksFabricProvider().describe();
    assertThat(d.kind()).isEqualTo("databricks").isEqualTo(new DatabricksFabricProvider().kind());
    assertThat(d.displayName()).isEqualTo("Databricks");
    assertThat(d.settings()).extracting(Setting::name).containsExactly("workspaceUrl", "clusterId",
        "connectTimeoutSeconds", "readTimeoutSeconds", "clusterStartTimeoutSeconds", "maxRetries",
        "maxRetryWaitSeconds", "jobSizes", "azureAdAuthority", "generatedTokenLifetimeSeconds");
    assertThat(d.setting("azureAdAuthority").orElseThrow().defaultValue()).contains("https://login.microsoftonline.com");
    assertThat(d.setting("workspaceUrl").orElseThrow().required()).isTrue();
    assertThat(d.setting("clusterId").orElseThrow().required()).isFalse();
    assertThat(d.setting("readTimeoutSeconds").orElseThrow().defaultValue()).contains("60");
    assertThat(d.settings()).noneMatch(Setting::secret);
    Setting token = d.credential("token").orElseThrow();
    assertThat(token.secret()).isTrue();
    // which fields are needed depends on the kind of auth, chosen when connecting
    assertThat(token.required()).isFalse();
    assertThat(d.credentials()).noneMatch(Setting::required);
    assertThat(d.credentials()).filteredOn(Setting::secret).extracting(Setting::name).containsExactly("token",
        "clientSecret", "azureClientSecret", "azureAdToken", "generatedToken");
    assertThat(d.credentials()).extracting(Setting::name).containsExactly("token", "clientId", "clientSecret",
        "azureTenantId", "azureClientId", "azureClientSecret", "azureAdToken", "azureAdTokenExpiresAt",
        "generatedToken", "generatedTokenId", "generatedTokenCreatedAt", "generatedTokenExpiresAt");
    assertThat(d.capabilities()).containsExactlyInAnyOrder(Capability.INTERACTIVE_SQL, Capability.INTERACTIVE_PYTHON,
        Capability.INTERACTIVE_SCALA, Capability.CLUSTERS, Capability.JOBS);
  }

  @Test
  void connectChecksSettingsAndCredentialsWithoutShowingTheToken() {
    DatabricksFabricProvider p = new DatabricksFabricProvider();
    Credentials creds = Credentials.ofSecret("token", Secret.of(TOKEN));
    assertThatThrownBy(() -> p.connect(config(Map.of()), creds, context()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("fabric.settings.workspaceUrl");
    assertThatThrownBy(() -> p.connect(config(Map.of("workspaceUrl", "dbc-1.cloud.databricks.com")), creds, context()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an http or https URL");
    assertThatThrownBy(() -> p.connect(config(Map.of("workspaceUrl", "https://dbc-1.cloud.databricks.com/?o=1")), creds,
        context())).hasMessageContaining("has a path or query");
    assertThatThrownBy(() -> p.connect(config(Map.of("workspaceUrl", "https://dbc-1.cloud.databricks.com",
        "readTimeoutSeconds", "soon")), creds, context()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("fabric.settings.readTimeoutSeconds");
    assertThatThrownBy(() -> p.connect(config(Map.of("workspaceUrl", "https://dbc-1.cloud.databricks.com",
        "maxRetries", "-1")), creds, context())).hasMessageContaining("give 0 or more");
    assertThatThrownBy(() -> p.connect(config(Map.of("workspaceUrl", "https://dbc-1.cloud.databricks.com")),
        Credentials.builder().put("user", "alice").build(), context()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("credentials.token")
        .hasMessageContaining("[user]");
  }

  @Test
  void aConnectionCallsNothingUntilUsedThenSendsTheTokenAndUserAgent() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      String url = server.url("/").toString();
      try (DatabricksConnection c = new DatabricksFabricProvider().connect(
          config(Map.of("workspaceUrl", url.substring(0, url.length() - 1))),
          Credentials.ofSecret("token", Secret.of(TOKEN)), context())) {
        assertThat(server.getRequestCount()).isZero();
        assertThat(c.kind()).isEqualTo("databricks");
        assertThat(c.toString()).doesNotContain(TOKEN);
        server.enqueue(new MockResponse.Builder().code(200).body("{\"clusters\":[]}").build());
        assertThat(c.clusters().list()).isEmpty();
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getTarget()).isEqualTo("/api/2.0/clusters/list");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getHeaders().get("User-Agent")).isEqualTo(AGENT);
      }
    }
  }

  @Test
  void aClosedConnectionSaysSo() {
    DatabricksConnection c = new DatabricksFabricProvider().connect(
        config(Map.of("workspaceUrl", "https://dbc-1.cloud.databricks.com")),
        Credentials.ofSecret("token", Secret.of(TOKEN)), context());
    c.close();
    c.close();
    assertThatThrownBy(c::clusters).isInstanceOf(IllegalStateException.class).hasMessageContaining("connect again");
  }
}

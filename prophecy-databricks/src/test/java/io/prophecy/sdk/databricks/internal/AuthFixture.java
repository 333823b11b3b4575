package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * What the auth tests share: a mock workspace, a mock Azure AD authority, a context that records what
 * the connector stores (and can be told to fail), fake secrets made at test time, and checks of the
 * requests' method, target, headers and form or JSON body.
 */
final class AuthFixture implements AutoCloseable {
  final MockWorkspace ws;
  final MockWebServer aad = new MockWebServer();
  final RecordingContext context;

  AuthFixture() throws IOException {
    ws = new MockWorkspace();
    aad.start();
    context = new RecordingContext(ws);
  }

  /** A fake secret: a prefix and random hex, never a literal in the source. */
  static String fake(String prefix) {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  /** The workspace's settings with a short read timeout. */
  DatabricksSettings settings() {
    return ws.settings();
  }

  /** Fabric settings pointing the Azure AD authority at the mock. */
  FabricConfig config(String... more) {
    FabricConfig.Builder b = FabricConfig.builder().fabricId("f1").name("dev").kind("databricks").team("analytics")
        .putSettings("workspaceUrl", ws.url().toString())
        .putSettings("azureAdAuthority", aad.url("/").toString().replaceAll("/$", ""));
    for (int i = 0; i + 1 < more.length; i += 2) {
      b.putSettings(more[i], more[i + 1]);
    }
    return b.build();
  }

  DatabricksAuth auth(Credentials credentials, FabricConfig config) {
    return DatabricksAuth.from(credentials, config, settings(), context, ws.test.platform());
  }

  DatabricksHttp http(DatabricksAuth auth) {
    return new DatabricksHttp(settings(), auth, TestPlatform.USER_AGENT, ws.test.platform().sleeper(), ws.test.clock);
  }

  static void enqueue(MockWebServer server, int code, String json, String... headers) {
    MockResponse.Builder b = new MockResponse.Builder().code(code);
    if (json != null) {
      b.body(json).addHeader("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    server.enqueue(b.build());
  }

  static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached " + server.url("/")).isNotNull();
    return r;
  }

  /** Takes a request and checks its method, target, Authorization, User-Agent and Accept. */
  static RecordedRequest take(MockWebServer server, String method, String target, String authorization)
      throws InterruptedException {
    RecordedRequest r = take(server);
    assertThat(r.getMethod() + " " + r.getTarget()).isEqualTo(method + " " + target);
    assertThat(r.getHeaders().get("Authorization")).as("Authorization of " + target).isEqualTo(authorization);
    assertThat(r.getHeaders().get("User-Agent")).isEqualTo(TestPlatform.USER_AGENT);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
    return r;
  }

  /** Takes a form POST and checks its fields, exactly. */
  static RecordedRequest takeForm(MockWebServer server, String target, String authorization, Map<String, String> form)
      throws InterruptedException {
    RecordedRequest r = take(server, "POST", target, authorization);
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(form(r.getBody().utf8())).isEqualTo(new TreeMap<>(form));
    return r;
  }

  /** Takes a JSON POST and checks its body (same fields and values, any order). */
  static RecordedRequest takeJson(MockWebServer server, String target, String authorization, String json)
      throws Exception {
    RecordedRequest r = take(server, "POST", target, authorization);
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(DatabricksHttp.JSON.readTree(r.getBody().utf8())).isEqualTo(DatabricksHttp.JSON.readTree(json));
    return r;
  }

  static Map<String, String> form(String body) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  static String tokenAnswer(String token, long expiresIn) {
    return "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";
  }

  void advance(Duration d) {
    ws.test.clock.advance(d);
  }

  @Override
  public void close() {
    aad.close();
    ws.close();
  }

  /**
   * A context that keeps the credentials stored for the user, merging as core does, and records each
   * store with the number of requests the workspace had received then (to check what came first).
   */
  static final class RecordingContext implements ConnectorContext {
    private final MockWorkspace ws;
    final AtomicReference<Credentials> stored = new AtomicReference<>(Credentials.none());
    final List<Credentials> stores = new CopyOnWriteArrayList<>();
    final List<Integer> workspaceRequestsAtStore = new CopyOnWriteArrayList<>();
    /** When set, the next store throws it (and clears this). */
    final AtomicReference<RuntimeException> failNextStore = new AtomicReference<>();

    RecordingContext(MockWorkspace ws) {
      this.ws = ws;
    }

    void storeInitially(Credentials c) {
      stored.set(c);
    }

    @Override
    public String userAgent() {
      return TestPlatform.USER_AGENT;
    }

    @Override
    public Path workDirectory() {
      return Path.of("target", "databricks-work");
    }

    @Override
    public String userEmail() {
      return "alice@example.com";
    }

    @Override
    public Clock clock() {
      return ws.test.clock;
    }

    @Override
    public void storeCredentials(Credentials fields) {
      RuntimeException fail = failNextStore.getAndSet(null);
      if (fail != null) {
        throw fail;
      }
      Credentials.Builder b = stored.get().toBuilder();
      fields.plainFields().forEach(b::put);
      fields.secretFields().forEach(b::put);
      stored.set(b.build());
      stores.add(fields);
      workspaceRequestsAtStore.add(ws.requestCount());
    }
  }
}

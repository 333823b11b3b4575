package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.model.Secret;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/** A MockWebServer standing in for a workspace, with helpers to script answers and check requests. */
final class MockWorkspace implements AutoCloseable {
  static final String TOKEN = "dapi0123456789abcdef-SECRET";

  final MockWebServer server = new MockWebServer();
  final TestPlatform test = new TestPlatform();

  MockWorkspace() throws IOException {
    server.start();
  }

  HttpUrl url() {
    return server.url("/");
  }

  /** Settings with a short read timeout, so that a timeout test takes a moment. */
  DatabricksSettings settings() {
    return DatabricksSettings.defaults(url()).withReadTimeout(Duration.ofMillis(500));
  }

  DatabricksAuth auth() {
    return new DatabricksAuth.PersonalAccessToken(Secret.of(TOKEN));
  }

  DatabricksHttp http(DatabricksSettings settings) {
    return new DatabricksHttp(settings, auth(), TestPlatform.USER_AGENT, test.platform().sleeper(), test.clock);
  }

  DatabricksFabricConnection connect(DatabricksSettings settings) {
    return DatabricksFabricConnection.open(settings, auth(), test.context(), test.platform());
  }

  void enqueue(int code, String json, String... headers) {
    MockResponse.Builder b = new MockResponse.Builder().code(code);
    if (json != null) {
      b.body(json).addHeader("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    server.enqueue(b.build());
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the mock workspace").isNotNull();
    return r;
  }

  /** Takes a request and checks its method, path with query, and the headers every call carries. */
  RecordedRequest take(String method, String target) throws InterruptedException {
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo(method);
    assertThat(r.getTarget()).isEqualTo(target);
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.getHeaders().get("User-Agent")).isEqualTo(TestPlatform.USER_AGENT);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
    if (method.equals("GET")) {
      assertThat(r.getBodySize()).isZero();
    }
    return r;
  }

  /** Takes a POST and checks its JSON body (same fields and values, any order). */
  RecordedRequest takePost(String path, String json) throws Exception {
    RecordedRequest r = take("POST", path);
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode actual = DatabricksHttp.JSON.readTree(r.getBody().utf8());
    assertThat(actual).isEqualTo(DatabricksHttp.JSON.readTree(json));
    return r;
  }

  int requestCount() {
    return server.getRequestCount();
  }

  @Override
  public void close() {
    server.close();
  }
}

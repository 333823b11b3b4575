package io.prophecy.sdk.git.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.Prophecy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer with helpers to script a provider's answers and check the requests made to it. */
final class ProviderMockServer implements AutoCloseable {
  static final String TOKEN = "pat-0123456789-SECRET-token";

  final MockWebServer server = new MockWebServer();
  /** The waits the client asked for before its retries. */
  final List<Duration> waits = new CopyOnWriteArrayList<>();

  ProviderMockServer() throws IOException {
    server.start();
  }

  /** The server's base URL without a trailing slash, plus a path. */
  String url(String path) {
    String base = server.url("/").toString();
    return base.substring(0, base.length() - 1) + path;
  }

  /** The host and port, as a provider names its host. */
  String hostPort() {
    return server.getHostName() + ":" + server.getPort();
  }

  /** Options that record retry waits instead of sleeping, with a short read timeout. */
  ClientOptions options() {
    return ClientOptions.defaults().withReadTimeout(Duration.ofMillis(500)).withSleeper(waits::add);
  }

  void enqueue(int code, String json, String... headers) {
    MockResponse.Builder b = new MockResponse.Builder().code(code);
    if (json != null) {
      b.body(json).addHeader("Content-Type", "application/json; charset=utf-8");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    server.enqueue(b.build());
  }

  /** An answer that comes only after the given delay. */
  void enqueueSlow(Duration delay, String json) {
    server.enqueue(new MockResponse.Builder().code(200).body(json).headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
        .build());
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the mock server").isNotNull();
    return r;
  }

  /** Takes a request and checks its method, path with query, and the SDK's User-Agent. */
  RecordedRequest take(String method, String target) throws InterruptedException {
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo(method);
    assertThat(r.getTarget()).isEqualTo(target);
    // the same agent as core's connectors send
    assertThat(r.getHeaders().get("User-Agent"))
        .isEqualTo("prophecy-java-sdk/" + Prophecy.version() + " java/" + System.getProperty("java.version"));
    return r;
  }

  /** The request's JSON body equals the expected JSON (same fields and values, any order). */
  static void assertJsonBody(RecordedRequest r, String expected) throws IOException {
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode actual = ProviderHttp.JSON.readTree(r.getBody().utf8());
    assertThat(actual).isEqualTo(ProviderHttp.JSON.readTree(expected));
  }

  static void assertNoBody(RecordedRequest r) {
    assertThat(r.getBodySize()).isZero();
  }

  @Override
  public void close() {
    server.close();
  }
}

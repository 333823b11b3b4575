package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer against a MockWebServer: headers, both error shapes, throttling with Retry-After,
 * retries only where safe, connection failures, timeouts and interrupted retry waits.
 */
class DatabricksHttpTest {
  private static final String GET_PATH = "/api/2.0/clusters/get";
  private static final String GET_TARGET = GET_PATH + "?cluster_id=c-1";
  private MockWorkspace ws;
  private DatabricksHttp http;

  @BeforeEach
  void start() throws Exception {
    ws = new MockWorkspace();
    http = ws.http(ws.settings());
  }

  @AfterEach
  void stop() {
    http.close();
    ws.close();
  }

  private JsonNode getCluster() {
    return http.get(GET_PATH, "get cluster c-1", "cluster_id", "c-1");
  }

  private JsonNode createContext() {
    return http.post("/api/1.2/contexts/create",
        DatabricksHttp.object().put("clusterId", "c-1").put("language", "sql"), "create a context",
        DatabricksHttp.Repeat.NOT_SAFE);
  }

  @Test
  void sendsTheTokenUserAgentAndJson() throws Exception {
    ws.enqueue(200, "{\"cluster_id\":\"c-1\",\"state\":\"RUNNING\"}");
    ws.enqueue(200, "{\"id\":\"ctx-1\"}");

    assertThat(getCluster().path("state").asText()).isEqualTo("RUNNING");
    assertThat(createContext().path("id").asText()).isEqualTo("ctx-1");

    ws.take("GET", GET_TARGET);
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"c-1\",\"language\":\"sql\"}");
    assertThat(ws.test.sleeps).isEmpty();
  }

  @Test
  void mapsErrorCodesToTheExceptionTree() throws Exception {
    ws.enqueue(400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Cluster id c-1 is malformed\"}");
    ws.enqueue(404, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Cluster c-1 does not exist\"}");
    ws.enqueue(403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"User alice does not have Attach permission\"}");
    ws.enqueue(401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid access token.\"}");
    ws.enqueue(400, "{\"error_code\":\"INVALID_STATE\",\"message\":\"Cluster c-1 is in unexpected state Pending.\"}");
    ws.enqueue(400, "{\"error_code\":\"QUOTA_EXCEEDED\",\"message\":\"The cluster quota is exceeded\"}");
    ws.enqueue(500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"boom\"}");

    assertThatThrownBy(this::getCluster).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("INVALID_PARAMETER_VALUE").hasMessageContaining("Cluster id c-1 is malformed");
    assertThatThrownBy(this::getCluster).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Cluster c-1 does not exist");
    assertThatThrownBy(this::getCluster).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("Attach permission");
    assertThatThrownBy(this::getCluster).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("did not accept the personal access token");
    assertThatThrownBy(this::getCluster).isInstanceOf(ConflictException.class)
        .hasMessageContaining("unexpected state Pending");
    assertThatThrownBy(this::getCluster).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("QUOTA_EXCEEDED");
    assertThatThrownBy(this::getCluster).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("HTTP 500 INTERNAL_ERROR: boom");
    for (int i = 0; i < 7; i++) {
      ws.take("GET", GET_TARGET);
    }
    assertThat(ws.test.sleeps).as("errors that are not throttling are not retried").isEmpty();
  }

  @Test
  void mapsTheApi12ErrorShape() throws Exception {
    ws.enqueue(500, "{\"error\":\"java.lang.IllegalArgumentException: requirement failed: language sqll is not"
        + " supported\\n\\tat scala.Predef$.require(Predef.scala:281)\"}");
    ws.enqueue(404, "{\"error\":\"ContextNotFound: ctx-9\"}");

    assertThatThrownBy(this::createContext).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("language sqll is not supported");
    assertThatThrownBy(() -> http.get("/api/1.2/contexts/status", "read the status of context ctx-9",
        "clusterId", "c-1", "contextId", "ctx-9")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ContextNotFound: ctx-9");
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"c-1\",\"language\":\"sql\"}");
    ws.take("GET", "/api/1.2/contexts/status?clusterId=c-1&contextId=ctx-9");
  }

  @Test
  void retriesThrottlingAsRetryAfterAsksInSecondsAndAsADate() throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ws.test.clock.instant().plusSeconds(7)
        .atZone(ZoneOffset.UTC));
    ws.enqueue(429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}", "Retry-After", "3");
    ws.enqueue(429, null, "Retry-After", date);
    ws.enqueue(200, "{\"cluster_id\":\"c-1\",\"state\":\"RUNNING\"}");

    assertThat(getCluster().path("cluster_id").asText()).isEqualTo("c-1");

    // the date is 7 s after the first call; the 3 s already waited count
    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(4));
    for (int i = 0; i < 3; i++) {
      ws.take("GET", GET_TARGET);
    }
  }

  @Test
  void without_RetryAfter_waitsOneTwoFourSecondsThenGivesUpSayingWhy() throws Exception {
    for (int i = 0; i < 4; i++) {
      ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"try later\"}");
    }

    assertThatThrownBy(this::getCluster).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("unavailable (HTTP 503 TEMPORARILY_UNAVAILABLE: try later)")
        .hasMessageContaining("still refused after 3 retries");
    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(ws.requestCount()).isEqualTo(4);
  }

  @Test
  void aRetryAfterLongerThanTheMaximumIsNotWaitedFor() throws Exception {
    ws.enqueue(429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}", "Retry-After", "3600");

    assertThatThrownBy(this::getCluster).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("throttling requests").hasMessageContaining("asks to wait 3600 s")
        .hasMessageContaining("maxRetryWaitSeconds (60 s)");
    assertThat(ws.test.sleeps).isEmpty();
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aCallThatIsNotSafeIsRetriedOn429ButNotOn503() throws Exception {
    ws.enqueue(429, null, "Retry-After", "2");
    ws.enqueue(200, "{\"id\":\"ctx-1\"}");
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"try later\"}", "Retry-After", "5");

    assertThat(createContext().path("id").asText()).isEqualTo("ctx-1");
    assertThatThrownBy(this::createContext).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("not safe to repeat").hasMessageContaining("asks to wait 5 s");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(2));
    for (int i = 0; i < 3; i++) {
      ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"c-1\",\"language\":\"sql\"}");
    }
  }

  @Test
  void clusterNotReadyAnswersAreRetried() throws Exception {
    ws.enqueue(500, "{\"error\":\"ClusterNotReadyException: Cluster c-1 is not running\"}");
    ws.enqueue(200, "{\"id\":\"ctx-1\"}");

    assertThat(createContext().path("id").asText()).isEqualTo("ctx-1");

    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1));
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"c-1\",\"language\":\"sql\"}");
    ws.takePost("/api/1.2/contexts/create", "{\"clusterId\":\"c-1\",\"language\":\"sql\"}");
  }

  @Test
  void aLostConnectionIsRetriedForAReadButNotForACallThatIsNotSafe() throws Exception {
    ws.server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    ws.enqueue(200, "{\"cluster_id\":\"c-1\",\"state\":\"RUNNING\"}");
    ws.server.enqueue(new MockResponse.Builder().onRequestBody(new SocketEffect.CloseSocket()).build());

    assertThat(getCluster().path("state").asText()).isEqualTo("RUNNING");
    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1));

    assertThatThrownBy(this::createContext).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("could not be reached").hasMessageContaining("not safe to repeat");
    assertThat(ws.test.sleeps).as("no wait for a retry of the POST").hasSize(1);
    // the mock records the GET whose socket it closed before reading it with the target "/"
    assertThat(ws.take().getTarget()).isEqualTo("/");
    ws.take("GET", GET_TARGET);
    ws.take("POST", "/api/1.2/contexts/create");
    assertThat(ws.server.takeRequest(200, TimeUnit.MILLISECONDS)).as("the POST was not sent again").isNull();
  }

  @Test
  void aConnectionRefusedIsRetriedEvenForACallThatIsNotSafe() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpUrl closed = HttpUrl.parse("http://127.0.0.1:" + port + "/");
    try (DatabricksHttp refused = ws.http(DatabricksSettings.defaults(closed))) {
      assertThatThrownBy(() -> refused.post("/api/1.2/commands/execute", DatabricksHttp.object().put("command", "1"),
          "run gem", DatabricksHttp.Repeat.NOT_SAFE))
          .isExactlyInstanceOf(ConnectorException.class).hasMessageContaining("could not be reached")
          .hasMessageContaining("still failing after 3 retries");
    }
    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void aReadTimeoutIsReportedWithItsValueAndNotRetried() throws Exception {
    ws.server.enqueue(new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build());

    assertThatThrownBy(this::getCluster).isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("did not answer GET /api/2.0/clusters/get (get cluster c-1) in time")
        .hasMessageContaining("500 ms").hasMessageContaining("readTimeoutSeconds");
    assertThat(ws.test.sleeps).isEmpty();
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void anInterruptedRetryWaitStopsTheCallAndKeepsTheFlag() throws Exception {
    ws.enqueue(429, null, "Retry-After", "1");
    ws.test.interruptNextSleep.set(true);

    try {
      assertThatThrownBy(this::getCluster).isInstanceOf(InterruptedCallException.class)
          .hasMessageContaining("interrupted during GET /api/2.0/clusters/get");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void retriesCanBeSwitchedOff() throws Exception {
    try (DatabricksHttp noRetry = ws.http(ws.settings().withRetries(0, Duration.ofSeconds(60)))) {
      ws.enqueue(429, null, "Retry-After", "1");
      assertThatThrownBy(() -> noRetry.get(GET_PATH, "get cluster c-1", "cluster_id", "c-1"))
          .hasMessageContaining("maxRetries is 0");
    }
    assertThat(ws.test.sleeps).isEmpty();
  }

  @Test
  void theTokenNeverReachesAMessageNorAnotherHost() throws Exception {
    ws.enqueue(400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad token " + MockWorkspace.TOKEN
        + "\"}");
    assertThatThrownBy(this::getCluster).hasMessageNotContaining(MockWorkspace.TOKEN).hasMessageContaining("****");
    ws.take();

    try (MockWebServer other = new MockWebServer()) {
      other.start();
      other.enqueue(new MockResponse.Builder().code(200).body("{\"state\":\"RUNNING\"}").build());
      ws.enqueue(302, null, "Location", other.url("/elsewhere").toString());
      assertThat(getCluster().path("state").asText()).isEqualTo("RUNNING");
      RecordedRequest first = ws.take("GET", GET_TARGET);
      assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + MockWorkspace.TOKEN);
      RecordedRequest redirected = other.takeRequest(5, TimeUnit.SECONDS);
      assertThat(redirected.getTarget()).isEqualTo("/elsewhere");
      assertThat(redirected.getHeaders().get("Authorization")).isNull();
    }
    assertThat(http.toString()).doesNotContain(MockWorkspace.TOKEN);
    assertThat(ws.auth().toString()).doesNotContain(MockWorkspace.TOKEN);
  }

  @Test
  void anAnswerThatIsNotJsonSaysToCheckTheUrl() {
    ws.server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
        .body("<html>login</html>").build());
    assertThatThrownBy(this::getCluster).hasMessageContaining("but not JSON (Content-Type text/html)")
        .hasMessageContaining("check that the workspace URL");
  }

  @Test
  void aCallFromAnInterruptedThreadFailsAsAnInterruptionAndKeepsTheFlag() {
    ws.enqueue(200, "{\"state\":\"RUNNING\"}");
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(this::getCluster).isInstanceOf(InterruptedCallException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void readsRetryAfterAsSecondsOrADateAndIgnoresTheRest() {
    var now = ws.test.clock;
    assertThat(DatabricksHttp.retryAfter("12", now)).contains(Duration.ofSeconds(12));
    assertThat(DatabricksHttp.retryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(DatabricksHttp.retryAfter("-5", now)).contains(Duration.ZERO);
    assertThat(DatabricksHttp.retryAfter("Tue, 01 Dec 2026 12:00:30 GMT", now)).contains(Duration.ofSeconds(30));
    assertThat(DatabricksHttp.retryAfter("Tue, 01 Dec 2026 11:00:00 GMT", now)).as("a date gone by").contains(Duration.ZERO);
    assertThat(DatabricksHttp.retryAfter("soon", now)).isEmpty();
    assertThat(DatabricksHttp.retryAfter(null, now)).isEmpty();
  }
}

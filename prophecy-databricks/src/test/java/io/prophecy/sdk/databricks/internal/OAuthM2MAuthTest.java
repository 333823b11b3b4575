package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.internal.AuthFixture.basic;
import static io.prophecy.sdk.databricks.internal.AuthFixture.enqueue;
import static io.prophecy.sdk.databricks.internal.AuthFixture.fake;
import static io.prophecy.sdk.databricks.internal.AuthFixture.take;
import static io.prophecy.sdk.databricks.internal.AuthFixture.takeForm;
import static io.prophecy.sdk.databricks.internal.AuthFixture.tokenAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Databricks OAuth machine to machine against a mock workspace: the token request (basic auth, form),
 * the token kept and renewed ahead of expiry on the test clock, one request for concurrent callers, one
 * renewal and retry after a 401, and the token endpoint's errors, throttling and timeouts, never showing
 * the client secret.
 */
class OAuthM2MAuthTest {
  private static final String TOKEN_PATH = "/oidc/v1/token";
  private static final String LIST = "/api/2.0/clusters/list";
  private static final Map<String, String> FORM = Map.of("grant_type", "client_credentials", "scope", "all-apis");

  private AuthFixture f;
  private String clientId;
  private String secret;
  private DatabricksAuth auth;
  private DatabricksHttp http;

  @BeforeEach
  void start() throws Exception {
    f = new AuthFixture();
    clientId = "sp-" + fake("").substring(0, 8);
    secret = fake("dose");
    auth = f.auth(Credentials.builder().put("clientId", clientId).put("clientSecret", Secret.of(secret)).build(),
        f.config());
    http = f.http(auth);
  }

  @AfterEach
  void stop() {
    http.close();
    f.close();
  }

  private void list() {
    http.get(LIST, "list clusters");
  }

  private void takeTokenRequest() throws InterruptedException {
    takeForm(f.ws.server, TOKEN_PATH, basic(clientId, secret), FORM);
  }

  private void takeList(String token) throws InterruptedException {
    take(f.ws.server, "GET", LIST, "Bearer " + token);
  }

  @Test
  void asksForATokenOnceAndSendsItUntilItIsDueThenRenewsAhead() throws Exception {
    String first = fake("eyJ-first-");
    String second = fake("eyJ-second-");
    enqueue(f.ws.server, 200, tokenAnswer(first, 3600));
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");
    enqueue(f.ws.server, 200, tokenAnswer(second, 3600));
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");

    list();
    f.advance(Duration.ofMinutes(54)); // 6 minutes left: more than the 5-minute margin
    list();
    f.advance(Duration.ofMinutes(1).plusSeconds(1)); // inside the margin: renewed before it expires
    list();

    takeTokenRequest();
    takeList(first);
    takeList(first);
    takeTokenRequest();
    takeList(second);
    assertThat(f.ws.requestCount()).isEqualTo(5);
    assertThat(auth.toString()).doesNotContain(secret);
    assertThat(auth.description()).contains(clientId).doesNotContain(secret);
    assertThat(auth.secrets()).contains(secret, second);
  }

  @Test
  void aShortLivedTokenIsRenewedHalfwayThroughItsLife() throws Exception {
    String first = fake("eyJ-a-");
    String second = fake("eyJ-b-");
    enqueue(f.ws.server, 200, tokenAnswer(first, 120));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, tokenAnswer(second, 120));
    enqueue(f.ws.server, 200, "{}");

    list();
    f.advance(Duration.ofSeconds(59));
    list();
    f.advance(Duration.ofSeconds(1));
    list();

    takeTokenRequest();
    takeList(first);
    takeList(first);
    takeTokenRequest();
    takeList(second);
  }

  @Test
  void concurrentCallersCauseOneTokenRequest() throws Exception {
    String token = fake("eyJ-shared-");
    CountDownLatch tokenAsked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<RecordedRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.ws.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
        seen.add(r);
        if (r.getTarget().equals(TOKEN_PATH)) {
          tokenAsked.countDown();
          release.await(5, TimeUnit.SECONDS); // hold the token answer until every caller waits for it
          return new MockResponse.Builder().code(200).body(tokenAnswer(token, 3600)).build();
        }
        return new MockResponse.Builder().code(200).body("{}").build();
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(this::list));
      }
      assertThat(tokenAsked.await(5, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      for (Future<?> c : calls) {
        c.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).filteredOn(r -> r.getTarget().equals(TOKEN_PATH)).hasSize(1);
    assertThat(seen).filteredOn(r -> r.getTarget().equals(LIST)).hasSize(8)
        .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + token));
  }

  @Test
  void a401RenewsTheTokenOnceAndSendsTheCallOnceMore() throws Exception {
    String revoked = fake("eyJ-revoked-");
    String fresh = fake("eyJ-fresh-");
    enqueue(f.ws.server, 200, tokenAnswer(revoked, 3600));
    enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Token is revoked\"}");
    enqueue(f.ws.server, 200, tokenAnswer(fresh, 3600));
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");

    list();

    takeTokenRequest();
    takeList(revoked);
    takeTokenRequest();
    takeList(fresh);
    assertThat(f.ws.requestCount()).isEqualTo(4);
  }

  @Test
  void a401AfterTheRenewalIsReportedNotRetriedAgain() throws Exception {
    enqueue(f.ws.server, 200, tokenAnswer(fake("eyJ-1-"), 3600));
    enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"no\"}");
    enqueue(f.ws.server, 200, tokenAnswer(fake("eyJ-2-"), 3600));
    enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"still no\"}");

    assertThatThrownBy(this::list).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("OAuth token of service principal " + clientId).hasMessageContaining("still no")
        .hasMessageNotContaining(secret);
    assertThat(f.ws.requestCount()).isEqualTo(4);
  }

  @Test
  void aRefusedClientIsAClearErrorWithoutTheSecret() throws Exception {
    enqueue(f.ws.server, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed"
        + " for " + clientId + " with secret " + secret + "\"}");

    assertThatThrownBy(this::list).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("Databricks OAuth at " + f.ws.url().host())
        .hasMessageContaining("invalid_client").hasMessageContaining("clientId and clientSecret")
        .hasMessageNotContaining(secret);
    takeTokenRequest();
    assertThat(f.ws.requestCount()).as("the call itself was not sent").isEqualTo(1);
  }

  @Test
  void anotherOAuthErrorNamesTheFieldsToCheck() throws Exception {
    enqueue(f.ws.server, 400, "{\"error\":\"invalid_scope\",\"error_description\":\"scope all-apis not allowed\"}");

    assertThatThrownBy(this::list).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("invalid_scope: scope all-apis not allowed").hasMessageContaining("clientId");
    takeTokenRequest();
  }

  @Test
  void aThrottledTokenRequestWaitsAsAskedThenSucceeds() throws Exception {
    String token = fake("eyJ-");
    enqueue(f.ws.server, 429, "{\"error\":\"slow_down\"}", "Retry-After", "7");
    enqueue(f.ws.server, 503, null);
    enqueue(f.ws.server, 200, tokenAnswer(token, 3600));
    enqueue(f.ws.server, 200, "{}");

    list();

    takeTokenRequest();
    takeTokenRequest();
    takeTokenRequest();
    takeList(token);
    assertThat(f.ws.test.sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
  }

  @Test
  void aTokenEndpointThatStaysThrottledIsGivenUpOnWithTheReason() throws Exception {
    for (int i = 0; i < 4; i++) {
      enqueue(f.ws.server, 429, null, "Retry-After", "1");
    }
    assertThatThrownBy(this::list).isInstanceOf(ConnectorException.class)
        .hasMessageContaining("throttling token requests (HTTP 429)").hasMessageContaining("after 3 retries");
    assertThat(f.ws.requestCount()).isEqualTo(4);

    enqueue(f.ws.server, 429, null, "Retry-After", "600");
    assertThatThrownBy(this::list).hasMessageContaining("asks to wait 600 s")
        .hasMessageContaining("maxRetryWaitSeconds");
  }

  @Test
  void anInterruptedWaitBeforeRetryingTheTokenRequestThrowsAndKeepsTheFlag() throws Exception {
    enqueue(f.ws.server, 429, null, "Retry-After", "2");
    f.ws.test.interruptNextSleep.set(true);
    try {
      assertThatThrownBy(this::list).isInstanceOf(InterruptedCallException.class)
          .hasMessageContaining("interrupted while waiting to ask Databricks OAuth");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    takeTokenRequest();
    assertThat(f.ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aTokenEndpointThatDoesNotAnswerInTimeIsReportedWithTheTimeout() throws Exception {
    f.ws.server.enqueue(new MockResponse.Builder().code(200).body(tokenAnswer(fake("eyJ-"), 3600))
        .headersDelay(2, TimeUnit.SECONDS).build());

    assertThatThrownBy(this::list).isInstanceOf(ConnectorException.class)
        .hasMessageContaining("did not answer the token request in time").hasMessageContaining("500 ms")
        .hasMessageNotContaining(secret);
    takeTokenRequest();
  }

  @Test
  void aFailedRenewalWhileTheTokenIsValidKeepsItAndTriesAgainLater() throws Exception {
    String first = fake("eyJ-first-");
    String second = fake("eyJ-second-");
    enqueue(f.ws.server, 200, tokenAnswer(first, 3600));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 500, "{\"error\":\"server_error\"}");
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, tokenAnswer(second, 3600));
    enqueue(f.ws.server, 200, "{}");

    list();
    f.advance(Duration.ofMinutes(56)); // due: renewal fails, the valid token is used
    list();
    f.advance(Duration.ofSeconds(10)); // within the 30 s pause: no new attempt
    list();
    f.advance(Duration.ofSeconds(25));
    list();

    takeTokenRequest();
    takeList(first);
    takeTokenRequest();
    takeList(first);
    takeList(first);
    takeTokenRequest();
    takeList(second);
  }

  @Test
  void onceExpiredAFailedRenewalFailsTheCall() throws Exception {
    enqueue(f.ws.server, 200, tokenAnswer(fake("eyJ-"), 3600));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 500, "{\"error\":\"server_error\",\"error_description\":\"down\"}");

    list();
    f.advance(Duration.ofHours(1));
    assertThatThrownBy(this::list).isInstanceOf(ConnectorException.class)
        .hasMessageContaining("failed the token request (HTTP 500 server_error: down)");
    assertThat(f.ws.requestCount()).isEqualTo(3);
  }
}

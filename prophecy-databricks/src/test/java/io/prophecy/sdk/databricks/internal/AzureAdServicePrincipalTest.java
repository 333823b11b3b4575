package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.internal.AuthFixture.enqueue;
import static io.prophecy.sdk.databricks.internal.AuthFixture.fake;
import static io.prophecy.sdk.databricks.internal.AuthFixture.take;
import static io.prophecy.sdk.databricks.internal.AuthFixture.takeForm;
import static io.prophecy.sdk.databricks.internal.AuthFixture.takeJson;
import static io.prophecy.sdk.databricks.internal.AuthFixture.tokenAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.StoreException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * An Azure AD service principal: its Azure AD token from the mock authority, the personal access token
 * generated with it, stored through the context, used on every call and rotated before it expires,
 * with a failure at each step of the rotation leaving a working token stored.
 */
class AzureAdServicePrincipalTest {
  static final String CREATE = "/api/2.0/token/create";
  static final String DELETE = "/api/2.0/token/delete";
  static final String LIST = "/api/2.0/clusters/list";
  static final String COMMENT = "Prophecy SDK: fabric dev of alice@example.com";
  static final String CREATE_BODY = "{\"lifetime_seconds\":86400,\"comment\":\"" + COMMENT + "\"}";

  private AuthFixture f;
  private String tenant;
  private String clientId;
  private String clientSecret;
  private DatabricksAuth auth;
  private DatabricksHttp http;

  @BeforeEach
  void start() throws Exception {
    f = new AuthFixture();
    tenant = "tenant-" + fake("").substring(0, 8);
    clientId = "app-" + fake("").substring(0, 8);
    clientSecret = fake("aad~");
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    f.close();
  }

  private Credentials principal() {
    return Credentials.builder().put("azureTenantId", tenant).put("azureClientId", clientId)
        .put("azureClientSecret", Secret.of(clientSecret)).build();
  }

  private void connect(Credentials stored) {
    f.context.storeInitially(stored);
    auth = f.auth(stored, f.config());
    http = f.http(auth);
  }

  /** Stored credentials holding a generated token created {@code age} ago with a one-day lifetime. */
  private Credentials withStoredPat(String pat, String id, Duration age) {
    Instant created = f.ws.test.clock.instant().minus(age);
    return principal().toBuilder().put("generatedToken", Secret.of(pat)).put("generatedTokenId", id)
        .put("generatedTokenCreatedAt", created.toString())
        .put("generatedTokenExpiresAt", created.plus(Duration.ofDays(1)).toString()).build();
  }

  static String created(String pat, String id, Instant at) {
    return "{\"token_value\":\"" + pat + "\",\"token_info\":{\"token_id\":\"" + id + "\",\"creation_time\":"
        + at.toEpochMilli() + ",\"expiry_time\":" + at.plus(Duration.ofDays(1)).toEpochMilli() + ",\"comment\":\""
        + COMMENT + "\"}}";
  }

  private void list() {
    http.get(LIST, "list clusters");
  }

  private void takeAadRequest() throws InterruptedException {
    takeForm(f.aad, "/" + tenant + "/oauth2/v2.0/token", null, Map.of("grant_type", "client_credentials",
        "client_id", clientId, "client_secret", clientSecret,
        "scope", "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"));
  }

  private void takeCreate(String bearer) throws Exception {
    takeJson(f.ws.server, CREATE, "Bearer " + bearer, CREATE_BODY);
  }

  private void takeDelete(String bearer, String id) throws Exception {
    takeJson(f.ws.server, DELETE, "Bearer " + bearer, "{\"token_id\":\"" + id + "\"}");
  }

  private void takeList(String pat) throws InterruptedException {
    take(f.ws.server, "GET", LIST, "Bearer " + pat);
  }

  private String storedPat() {
    return f.context.stored.get().secret("generatedToken").map(Secret::reveal).orElse(null);
  }

  @Test
  void theFirstCallGeneratesAPersonalAccessTokenStoresItAndUsesIt() throws Exception {
    connect(principal());
    String aad = fake("eyJ0eXAi-");
    String pat = fake("dapi");
    Instant now = f.ws.test.clock.instant();
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 200, created(pat, "tok-1", now));
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");

    list();
    list();

    takeAadRequest();
    takeCreate(aad);
    takeList(pat);
    takeList(pat);
    assertThat(f.aad.getRequestCount()).isEqualTo(1);
    Credentials stored = f.context.stored.get();
    assertThat(stored.secret("generatedToken").orElseThrow().reveal()).isEqualTo(pat);
    assertThat(stored.get("generatedTokenId")).contains("tok-1");
    assertThat(stored.get("generatedTokenCreatedAt")).contains(now.toString());
    assertThat(stored.get("generatedTokenExpiresAt")).contains(now.plus(Duration.ofDays(1)).toString());
    assertThat(stored.get("azureClientId")).contains(clientId);
    assertThat(f.context.workspaceRequestsAtStore).as("stored right after token/create").containsExactly(1);
    assertThat(auth.toString()).doesNotContain(pat).doesNotContain(clientSecret).doesNotContain(aad);
    assertThat(auth.secrets()).contains(pat, clientSecret, aad);
  }

  @Test
  void aStoredTokenIsUsedWithoutAskingAzureAd() throws Exception {
    String pat = fake("dapi");
    connect(withStoredPat(pat, "tok-1", Duration.ofHours(1)));
    enqueue(f.ws.server, 200, "{\"clusters\":[]}");

    list();

    takeList(pat);
    assertThat(f.aad.getRequestCount()).isZero();
    assertThat(f.context.stores).isEmpty();
  }

  @Test
  void aTokenWithAQuarterOfItsLifeLeftIsRotatedNewStoredBeforeTheOldIsDeleted() throws Exception {
    String old = fake("dapi");
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(17).plusMinutes(59)));
    enqueue(f.ws.server, 200, "{}");
    list();
    takeList(old);

    f.advance(Duration.ofMinutes(1)); // 18 h old: 6 h of 24 left
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    list();

    takeAadRequest();
    takeCreate(aad);
    takeDelete(aad, "tok-old");
    takeList(pat);
    assertThat(storedPat()).isEqualTo(pat);
    assertThat(f.context.stored.get().get("generatedTokenId")).contains("tok-new");
    // request 2 was token/create; the store came before request 3, the delete
    assertThat(f.context.workspaceRequestsAtStore).containsExactly(2);
  }

  @Test
  void whenCreatingFailsTheStoredTokenStaysInUseAndRotationIsTriedAgainAMinuteLater() throws Exception {
    String old = fake("dapi");
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(20)));
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 400, "{\"error_code\":\"QUOTA_EXCEEDED\",\"message\":\"Too many tokens\"}");
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");

    list();
    f.advance(Duration.ofSeconds(59));
    list(); // within the pause: no new attempt

    takeCreate(aad);
    takeList(old);
    takeList(old);
    assertThat(f.context.stores).isEmpty();
    assertThat(storedPat()).isEqualTo(old);

    f.advance(Duration.ofSeconds(1));
    enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    list();
    takeCreate(aad);
    takeDelete(aad, "tok-old");
    takeList(pat);
    assertThat(storedPat()).isEqualTo(pat);
    takeAadRequest();
    assertThat(f.aad.getRequestCount()).as("the Azure AD token was kept").isEqualTo(1);
  }

  @Test
  void whenStoringFailsTheNewTokenIsDeletedAndTheStoredOneStaysInUse() throws Exception {
    String old = fake("dapi");
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(20)));
    f.context.failNextStore.set(new StoreException("The metadata store is read-only"));
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");

    list();

    takeAadRequest();
    takeCreate(aad);
    takeDelete(aad, "tok-new");
    takeList(old);
    assertThat(storedPat()).isEqualTo(old);
    assertThat(f.context.stores).isEmpty();
  }

  @Test
  void whenDeletingTheOldTokenFailsTheNewOneIsStoredAndUsed() throws Exception {
    String old = fake("dapi");
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(20)));
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"boom\"}");
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");

    list();
    list();

    takeAadRequest();
    takeCreate(aad);
    takeDelete(aad, "tok-old");
    takeList(pat);
    takeList(pat);
    assertThat(storedPat()).isEqualTo(pat);
  }

  @Test
  void aThrottledCreateIsRetriedAsAsked() throws Exception {
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(principal());
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}", "Retry-After", "3");
    enqueue(f.ws.server, 200, created(pat, "tok-1", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");

    list();

    takeAadRequest();
    takeCreate(aad);
    takeCreate(aad);
    takeList(pat);
    assertThat(f.ws.test.sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void anInterruptedRotationIsThrownNotHiddenBehindTheStillValidToken() throws Exception {
    String old = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(20)));
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}", "Retry-After", "3");
    f.ws.test.interruptNextSleep.set(true);
    try {
      assertThatThrownBy(this::list).isInstanceOf(InterruptedCallException.class)
          .hasMessageContaining("/api/2.0/token/create");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    takeCreate(aad);
    assertThat(f.ws.requestCount()).isEqualTo(1);
    assertThat(storedPat()).isEqualTo(old);
  }

  @Test
  void anExpiredStoredTokenAndAFailedCreateFailTheCallClearly() throws Exception {
    String old = fake("dapi");
    connect(withStoredPat(old, "tok-old", Duration.ofDays(2)));
    enqueue(f.aad, 200, tokenAnswer(fake("eyJ0eXAi-"), 3599));
    enqueue(f.ws.server, 403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"Token creation is disabled\"}");

    assertThatThrownBy(this::list).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("create a personal access token").hasMessageContaining("Token creation is disabled")
        .hasMessageNotContaining(old).hasMessageNotContaining(clientSecret);
    assertThat(f.ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aRefusedServicePrincipalIsAClearErrorWithoutTheSecret() throws Exception {
    connect(principal());
    enqueue(f.aad, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret"
        + " provided. Ensure the secret being sent is the client secret value, not the id: " + clientSecret
        + "\\r\\nTrace ID: 0000\",\"error_codes\":[7000215]}");

    assertThatThrownBy(this::list).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("Azure AD at " + f.aad.url("/").host()).hasMessageContaining("AADSTS7000215")
        .hasMessageContaining("azureTenantId, azureClientId and azureClientSecret")
        .hasMessageNotContaining(clientSecret);
    takeAadRequest();
    assertThat(f.ws.requestCount()).isZero();
  }

  @Test
  void theAzureAdTokenIsRenewedWhenExpiredForTheNextRotation() throws Exception {
    String aad1 = fake("eyJ0eXAi-");
    String aad2 = fake("eyJ0eXAi-");
    String pat1 = fake("dapi");
    String pat2 = fake("dapi");
    connect(principal());
    enqueue(f.aad, 200, tokenAnswer(aad1, 3599));
    enqueue(f.ws.server, 200, created(pat1, "tok-1", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    list();

    f.advance(Duration.ofHours(18));
    enqueue(f.aad, 200, tokenAnswer(aad2, 3599));
    enqueue(f.ws.server, 200, created(pat2, "tok-2", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    list();

    takeAadRequest();
    takeCreate(aad1);
    takeList(pat1);
    takeAadRequest();
    takeCreate(aad2);
    takeDelete(aad2, "tok-1");
    takeList(pat2);
  }

  @Test
  void theAzureAdTokenIsRenewedFiveMinutesAheadOfItsExpiry() throws Exception {
    String aad1 = fake("eyJ0eXAi-");
    String aad2 = fake("eyJ0eXAi-");
    String pat1 = fake("dapi");
    String pat2 = fake("dapi");
    String old = fake("dapi");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(1)));
    String refused = "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid access token.\"}";
    enqueue(f.ws.server, 401, refused);
    enqueue(f.aad, 200, tokenAnswer(aad1, 3600));
    enqueue(f.ws.server, 200, created(pat1, "tok-1", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    list();

    f.advance(Duration.ofMinutes(55)); // the Azure AD token has 5 minutes left: renewed before use
    enqueue(f.ws.server, 401, refused);
    enqueue(f.aad, 200, tokenAnswer(aad2, 3600));
    enqueue(f.ws.server, 200, created(pat2, "tok-2", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    list();

    takeList(old);
    takeAadRequest();
    takeCreate(aad1);
    takeDelete(aad1, "tok-old");
    takeList(pat1);
    takeList(pat1);
    takeAadRequest();
    takeCreate(aad2);
    takeDelete(aad2, "tok-1");
    takeList(pat2);
  }

  @Test
  void whenAzureAdFailsDuringARotationTheStoredTokenStaysInUse() throws Exception {
    String old = fake("dapi");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(20)));
    enqueue(f.aad, 503, null, "Retry-After", "1");
    enqueue(f.aad, 500, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS50000\"}");
    enqueue(f.ws.server, 200, "{}");

    list();

    takeAadRequest();
    takeAadRequest();
    takeList(old);
    assertThat(f.ws.test.sleeps).containsExactly(Duration.ofSeconds(1));
    assertThat(f.context.stores).isEmpty();
    assertThat(storedPat()).isEqualTo(old);
  }

  @Test
  void a401OnTheTokenGeneratesANewOneOnceAndSendsTheCallAgain() throws Exception {
    String old = fake("dapi");
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(1)));
    enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid access token.\"}");
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 404, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Token tok-old not found\"}");
    enqueue(f.ws.server, 200, "{}");

    list();

    takeList(old);
    takeAadRequest();
    takeCreate(aad);
    takeDelete(aad, "tok-old");
    takeList(pat);
    assertThat(storedPat()).isEqualTo(pat);
  }

  @Test
  void concurrentCallsDuringARotationCauseOneRotation() throws Exception {
    String old = fake("dapi");
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(withStoredPat(old, "tok-old", Duration.ofHours(20)));
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    CountDownLatch createAsked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
    Instant now = f.ws.test.clock.instant();
    f.ws.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
        seen.add(r);
        if (r.getTarget().equals(CREATE)) {
          createAsked.countDown();
          release.await(5, TimeUnit.SECONDS);
          return new MockResponse.Builder().code(200).body(created(pat, "tok-new", now)).build();
        }
        return new MockResponse.Builder().code(200).body("{}").build();
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(pool.submit(this::list));
      }
      assertThat(createAsked.await(5, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      for (Future<?> c : calls) {
        c.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).filteredOn(r -> r.getTarget().equals(CREATE)).hasSize(1);
    assertThat(seen).filteredOn(r -> r.getTarget().equals(DELETE)).hasSize(1);
    assertThat(seen).filteredOn(r -> r.getTarget().equals(LIST)).hasSize(6)
        .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + pat));
    assertThat(f.context.stores).hasSize(1);
    assertThat(f.aad.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aContextThatCannotStoreIsAClearErrorAndTheTokenIsDeletedAgain() throws Exception {
    String pat = fake("dapi");
    String aad = fake("eyJ0eXAi-");
    connect(principal());
    f.context.failNextStore.set(new UnsupportedOperationException("this connector context cannot store credentials;"
        + " connect through Fabric.connect()"));
    enqueue(f.aad, 200, tokenAnswer(aad, 3599));
    enqueue(f.ws.server, 200, created(pat, "tok-1", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");

    assertThatThrownBy(this::list).isInstanceOf(ConnectorException.class)
        .hasMessageContaining("could not store it in the vault").hasMessageContaining("Fabric.connect()")
        .hasMessageContaining("it was deleted again").hasMessageNotContaining(pat);
    takeAadRequest();
    takeCreate(aad);
    takeDelete(aad, "tok-1");
  }
}

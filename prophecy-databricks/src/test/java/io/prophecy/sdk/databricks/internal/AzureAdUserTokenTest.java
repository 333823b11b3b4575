package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.internal.AuthFixture.enqueue;
import static io.prophecy.sdk.databricks.internal.AuthFixture.fake;
import static io.prophecy.sdk.databricks.internal.AuthFixture.take;
import static io.prophecy.sdk.databricks.internal.AuthFixture.takeJson;
import static io.prophecy.sdk.databricks.internal.AzureAdServicePrincipalTest.CREATE;
import static io.prophecy.sdk.databricks.internal.AzureAdServicePrincipalTest.CREATE_BODY;
import static io.prophecy.sdk.databricks.internal.AzureAdServicePrincipalTest.DELETE;
import static io.prophecy.sdk.databricks.internal.AzureAdServicePrincipalTest.LIST;
import static io.prophecy.sdk.databricks.internal.AzureAdServicePrincipalTest.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's own Azure AD token: the personal access token is generated with it while it is valid; once
 * it has expired (by the field, the token's exp claim, or the workspace refusing it), the current
 * personal access token creates its successor; with neither valid, a clear error.
 */
class AzureAdUserTokenTest {
  private AuthFixture f;
  private DatabricksHttp http;

  @BeforeEach
  void start() throws Exception {
    f = new AuthFixture();
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    f.close();
  }

  private DatabricksAuth connect(Credentials stored) {
    f.context.storeInitially(stored);
    DatabricksAuth auth = f.auth(stored, f.config());
    http = f.http(auth);
    return auth;
  }

  private void list() {
    http.get(LIST, "list clusters");
  }

  /** A token shaped like a JWT (header.claims.signature) whose exp claim is {@code exp}; made at test time. */
  private static String jwt(Instant exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"aud\":\"2ff814a6-3304-4ab8-85cb-cd0e6f879c1d\",\"exp\":" + exp.getEpochSecond()
            + ",\"nonce\":\"" + fake("") + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + fake("sig");
  }

  @Test
  void generatesWithTheUsersTokenThenRotatesWithTheCurrentPersonalTokenOnceTheAzureTokenExpired() throws Exception {
    Instant now = f.ws.test.clock.instant();
    String aad = fake("eyJ-user-");
    String pat1 = fake("dapi");
    String pat2 = fake("dapi");
    connect(Credentials.builder().put("azureAdToken", Secret.of(aad))
        .put("azureAdTokenExpiresAt", now.plus(Duration.ofHours(1)).toString()).build());
    enqueue(f.ws.server, 200, created(pat1, "tok-1", now));
    enqueue(f.ws.server, 200, "{}");
    list();
    takeJson(f.ws.server, CREATE, "Bearer " + aad, CREATE_BODY);
    take(f.ws.server, "GET", LIST, "Bearer " + pat1);

    f.advance(Duration.ofHours(18)); // the Azure AD token expired long ago; the personal one is due
    enqueue(f.ws.server, 200, created(pat2, "tok-2", f.ws.test.clock.instant()));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");
    list();

    takeJson(f.ws.server, CREATE, "Bearer " + pat1, CREATE_BODY);
    takeJson(f.ws.server, DELETE, "Bearer " + pat2, "{\"token_id\":\"tok-1\"}");
    take(f.ws.server, "GET", LIST, "Bearer " + pat2);
    assertThat(f.context.stored.get().secret("generatedToken").orElseThrow().reveal()).isEqualTo(pat2);
    assertThat(f.aad.getRequestCount()).as("a user's token is never renewed at Azure AD").isZero();
  }

  @Test
  void theExpiryIsReadFromTheTokensExpClaimWhenNoFieldGivesIt() {
    Instant exp = Instant.parse("2026-12-01T13:00:00Z");
    var user = new AzureAdBearer.UserToken(Secret.of(jwt(exp)), Optional.empty(), f.ws.test.clock);
    assertThat(user.expires()).contains(exp);
    assertThat(user.token()).isPresent();
    f.advance(Duration.ofHours(1));
    assertThat(user.token()).isEmpty();
    assertThat(user.whenExpired()).contains("expired at 2026-12-01T13:00:00Z").contains("azureAdToken");
    assertThat(new AzureAdBearer.UserToken(Secret.of(fake("opaque-")), Optional.empty(), f.ws.test.clock).expires())
        .isEmpty();
    assertThat(user.toString()).doesNotContain(user.secrets().get(0));
  }

  @Test
  void anAzureTokenTheWorkspaceRefusesGivesWayToTheStoredPersonalToken() throws Exception {
    Instant now = f.ws.test.clock.instant();
    String aad = fake("opaque-user-");
    String old = fake("dapi");
    String pat = fake("dapi");
    Instant created = now.minus(Duration.ofHours(20));
    connect(Credentials.builder().put("azureAdToken", Secret.of(aad)).put("generatedToken", Secret.of(old))
        .put("generatedTokenId", "tok-old").put("generatedTokenCreatedAt", created.toString())
        .put("generatedTokenExpiresAt", created.plus(Duration.ofDays(1)).toString()).build());
    enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Token expired\"}");
    enqueue(f.ws.server, 200, created(pat, "tok-new", now));
    enqueue(f.ws.server, 200, "{}");
    enqueue(f.ws.server, 200, "{}");

    list();

    takeJson(f.ws.server, CREATE, "Bearer " + aad, CREATE_BODY);
    takeJson(f.ws.server, CREATE, "Bearer " + old, CREATE_BODY);
    takeJson(f.ws.server, DELETE, "Bearer " + pat, "{\"token_id\":\"tok-old\"}");
    take(f.ws.server, "GET", LIST, "Bearer " + pat);
  }

  @Test
  void withTheAzureTokenExpiredAndNoValidPersonalTokenTheErrorSaysWhatToStore() {
    Instant now = f.ws.test.clock.instant();
    String aad = fake("eyJ-user-");
    connect(Credentials.builder().put("azureAdToken", Secret.of(aad))
        .put("azureAdTokenExpiresAt", now.minus(Duration.ofMinutes(1)).toString()).build());

    assertThatThrownBy(this::list).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("cannot generate a personal access token")
        .hasMessageContaining("azureAdToken expired at " + now.minus(Duration.ofMinutes(1)))
        .hasMessageContaining("fabric.credentials().set").hasMessageNotContaining(aad);
    assertThat(f.ws.requestCount()).isZero();
  }
}

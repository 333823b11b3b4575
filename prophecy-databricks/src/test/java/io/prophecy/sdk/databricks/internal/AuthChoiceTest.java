package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.internal.AuthFixture.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which auth the credential fields select, and the errors for mixes, gaps and malformed fields. */
class AuthChoiceTest {
  private AuthFixture f;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    f = new AuthFixture();
    secret = fake("s3cr3t-");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private DatabricksAuth auth(Credentials c) {
    return f.auth(c, f.config());
  }

  @Test
  void eachKindIsChosenByItsFields() {
    assertThat(auth(Credentials.ofSecret("token", Secret.of(secret)))).isInstanceOf(DatabricksAuth.PersonalAccessToken.class);
    assertThat(auth(Credentials.builder().put("clientId", "sp-1").put("clientSecret", Secret.of(secret)).build()))
        .isInstanceOf(OAuthM2MAuth.class);
    DatabricksAuth sp = auth(Credentials.builder().put("azureTenantId", "t-1").put("azureClientId", "app-1")
        .put("azureClientSecret", Secret.of(secret)).build());
    assertThat(sp).isInstanceOf(GeneratedTokenAuth.class);
    assertThat(sp.description()).isEqualTo("personal access token generated with the Azure AD service principal"
        + " app-1 of tenant t-1");
    DatabricksAuth user = auth(Credentials.ofSecret("azureAdToken", Secret.of(secret)));
    assertThat(user).isInstanceOf(GeneratedTokenAuth.class);
    assertThat(user.description()).startsWith("personal access token generated with the user's Azure AD token");
    // a secret given as a plain value (a context made outside core) is still a secret
    assertThat(auth(Credentials.builder().put("token", secret).build()).authorization()).isEqualTo("Bearer " + secret);
  }

  @Test
  void aMixOfKindsIsRefusedNamingTheFields() {
    assertThatThrownBy(() -> auth(Credentials.builder().put("token", Secret.of(secret))
        .put("clientSecret", Secret.of(secret)).build()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("credentials: the credentials mix [token]"
            + " (a personal access token) and [clientSecret] (Databricks OAuth machine to machine)")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> auth(Credentials.builder().put("clientId", "sp-1").put("clientSecret", Secret.of(secret))
        .put("azureClientId", "app-1").put("azureAdToken", Secret.of(secret)).build()))
        .hasMessageContaining("[clientId, clientSecret] (Databricks OAuth machine to machine) and [azureClientId]"
            + " (an Azure AD service principal) and [azureAdToken] (a user's Azure AD token)");
  }

  @Test
  void anIncompleteKindNamesTheMissingFields() {
    assertThatThrownBy(() -> auth(Credentials.builder().put("clientId", "sp-1").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("credentials.clientSecret: Databricks OAuth"
            + " machine to machine needs the fields clientId, clientSecret; clientSecret is missing");
    assertThatThrownBy(() -> auth(Credentials.builder().put("azureClientSecret", Secret.of(secret)).build()))
        .hasMessageStartingWith("credentials.azureTenantId:").hasMessageContaining("azureTenantId, azureClientId are missing")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> auth(Credentials.none())).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("credentials.token").hasMessageContaining("clientId + clientSecret")
        .hasMessageContaining("azureTenantId + azureClientId + azureClientSecret");
  }

  @Test
  void theSdksOwnFieldsAloneAreRefusedAndBesideATokenIgnored() {
    Credentials generated = Credentials.builder().put("generatedToken", Secret.of(secret)).put("generatedTokenId", "1")
        .build();
    assertThatThrownBy(() -> auth(generated)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("credentials.generatedToken").hasMessageContaining("Azure AD")
        .hasMessageNotContaining(secret);
    String token = fake("dapi");
    DatabricksAuth pat = auth(generated.toBuilder().put("token", Secret.of(token)).build());
    assertThat(pat.authorization()).isEqualTo("Bearer " + token);
  }

  @Test
  void malformedFieldsAndSettingsAreNamed() {
    assertThatThrownBy(() -> auth(Credentials.builder().put("azureAdToken", Secret.of(secret))
        .put("azureAdTokenExpiresAt", "tomorrow").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("credentials.azureAdTokenExpiresAt")
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> auth(Credentials.builder().put("azureAdToken", Secret.of(secret))
        .put("generatedToken", Secret.of(fake("dapi"))).put("generatedTokenId", "1").build()))
        .hasMessageStartingWith("credentials.generatedTokenCreatedAt").hasMessageContaining("is missing");
    Credentials user = Credentials.ofSecret("azureAdToken", Secret.of(secret));
    assertThatThrownBy(() -> f.auth(user, f.config("generatedTokenLifetimeSeconds", "60")))
        .hasMessageStartingWith("fabric.settings.generatedTokenLifetimeSeconds").hasMessageContaining("at least 600");
    assertThatThrownBy(() -> f.auth(user, f.config("azureAdAuthority", "login")))
        .hasMessageStartingWith("fabric.settings.azureAdAuthority");
    assertThatThrownBy(() -> auth(Credentials.builder().put("clientId", " ").put("clientSecret", Secret.of(secret))
        .build())).hasMessageStartingWith("credentials.clientId: is empty");
  }

  @Test
  void theAuthoritysTokenEndpointFollowsItsPath() {
    assertThat(AuthSettings.defaults().tokenEndpoint("t-1").toString())
        .isEqualTo("https://login.microsoftonline.com/t-1/oauth2/v2.0/token");
    assertThat(new AuthSettings(HttpUrl.get("http://127.0.0.1:8080/aad/"), Duration.ofDays(1)).tokenEndpoint("t-1")
        .toString()).isEqualTo("http://127.0.0.1:8080/aad/t-1/oauth2/v2.0/token");
  }

  @Test
  void aGeneratedTokenIsRotatedWhenAQuarterOfItsLifeIsLeftAndTokensRenewAhead() {
    var t0 = java.time.Instant.parse("2026-12-01T00:00:00Z");
    var pat = new GeneratedTokenAuth.Pat(Secret.of(secret), "1", t0, java.util.Optional.of(t0.plus(Duration.ofDays(1))));
    assertThat(pat.rotateAt()).isEqualTo(t0.plus(Duration.ofHours(18)));
    assertThat(pat.toString()).doesNotContain(secret);
    assertThat(new AccessToken(secret, t0, t0.plusSeconds(3600)).renewAt()).isEqualTo(t0.plusSeconds(3300));
    assertThat(new AccessToken(secret, t0, t0.plusSeconds(120)).renewAt()).isEqualTo(t0.plusSeconds(60));
    assertThat(new AccessToken(secret, t0, t0.plusSeconds(3600)).toString()).doesNotContain(secret);
  }
}

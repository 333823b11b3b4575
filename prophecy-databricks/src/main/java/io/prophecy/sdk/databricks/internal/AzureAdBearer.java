package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.FormBody;

/**
 * An Azure AD (Entra ID) access token for Azure Databricks (resource
 * {@value #DATABRICKS_RESOURCE}), with which the SDK manages the user's personal access tokens.
 * Thread-safe.
 */
interface AzureAdBearer {
  /** The Azure Databricks resource (application) id Azure AD tokens are issued for. */
  String DATABRICKS_RESOURCE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d";

  /** A token to send, or empty when the one there is has expired and cannot be renewed. */
  Optional<String> token();

  /**
   * After the workspace refused {@code rejected}.
   *
   * @return true when a different token is current now
   */
  boolean renew(String rejected);

  /** What it is, for messages; never a secret. */
  String description();

  /** What to do when it can give no token, for messages. */
  String whenExpired();

  List<String> secrets();

  /** Releases what it holds; called when the connection closes. */
  default void close() {}

  /**
   * A service principal's client credentials: {@code POST {authority}/{tenant}/oauth2/v2.0/token} with
   * form {@code grant_type=client_credentials&client_id&client_secret&scope=<resource>/.default}. Azure AD
   * gives no refresh token for this grant, so a new token is asked for ahead of expiry.
   */
  final class ServicePrincipal implements AzureAdBearer {
    private final String tenant;
    private final String clientId;
    private final Secret clientSecret;
    private final OAuthTokenEndpoint endpoint;
    private final RenewingToken token;

    ServicePrincipal(String tenant, String clientId, Secret clientSecret, AuthSettings auth, DatabricksSettings settings,
        String userAgent, Platform.Sleeper sleeper, Clock clock) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      this.endpoint = new OAuthTokenEndpoint(auth.tokenEndpoint(tenant), "Azure AD",
          DatabricksFabricProvider.AZURE_TENANT_ID + ", " + DatabricksFabricProvider.AZURE_CLIENT_ID + " and "
              + DatabricksFabricProvider.AZURE_CLIENT_SECRET, List.of(clientSecret.reveal()), settings, userAgent,
          sleeper, clock);
      this.token = new RenewingToken("Azure AD token of service principal " + clientId,
          () -> endpoint.fetch(new FormBody.Builder().add("grant_type", "client_credentials").add("client_id", clientId)
              .add("client_secret", clientSecret.reveal()).add("scope", DATABRICKS_RESOURCE + "/.default").build(), null),
          clock);
    }

    @Override
    public Optional<String> token() {
      return Optional.of(token.get());
    }

    @Override
    public boolean renew(String rejected) {
      return token.renew(rejected);
    }

    @Override
    public String description() {
      return "Azure AD service principal " + clientId + " of tenant " + tenant;
    }

    @Override
    public String whenExpired() {
      return "check the Azure AD credentials";
    }

    @Override
    public List<String> secrets() {
      List<String> out = new ArrayList<>(2);
      out.add(clientSecret.reveal());
      token.peek().ifPresent(out::add);
      return out;
    }

    @Override
    public void close() {
      endpoint.close();
    }

    @Override
    public String toString() {
      return "AzureAdBearer.ServicePrincipal[" + clientId + ", ****]";
    }
  }

  /**
   * A user's own Azure AD token, as stored. It cannot be renewed; it is not sent once it is known to have
   * expired (its expiry is the credential field, else the token's {@code exp} claim), nor after the
   * workspace refused it.
   */
  final class UserToken implements AzureAdBearer {
    private final Secret value;
    private final Optional<Instant> expires;
    private final Clock clock;
    private volatile boolean refused;

    UserToken(Secret value, Optional<Instant> expires, Clock clock) {
      this.value = Objects.requireNonNull(value, "value");
      this.expires = expires.or(() -> expiryClaim(value.reveal()));
      this.clock = clock;
    }

    /** The {@code exp} claim of a JWT, read without checking its signature: only to know when to stop sending it. */
    static Optional<Instant> expiryClaim(String jwt) {
      String[] parts = jwt.split("\\.");
      if (parts.length != 3) {
        return Optional.empty();
      }
      try {
        JsonNode claims = DatabricksHttp.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
            StandardCharsets.UTF_8));
        JsonNode exp = claims.get("exp");
        return exp != null && exp.canConvertToLong() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
      } catch (IllegalArgumentException | java.io.IOException e) {
        return Optional.empty();
      }
    }

    Optional<Instant> expires() {
      return expires;
    }

    @Override
    public Optional<String> token() {
      if (refused || expires.map(e -> !clock.instant().isBefore(e)).orElse(false)) {
        return Optional.empty();
      }
      return Optional.of(value.reveal());
    }

    @Override
    public boolean renew(String rejected) {
      refused = true;
      return false;
    }

    @Override
    public String description() {
      return "user's Azure AD token" + expires.map(e -> " (expiring " + e + ")").orElse("");
    }

    @Override
    public String whenExpired() {
      return "the Azure AD token in " + DatabricksFabricProvider.AZURE_AD_TOKEN
          + (refused ? " was refused" : expires.map(e -> " expired at " + e).orElse(" expired"))
          + "; store a fresh one with fabric.credentials().set(...)";
    }

    @Override
    public List<String> secrets() {
      return List.of(value.reveal());
    }

    @Override
    public String toString() {
      return "AzureAdBearer.UserToken[****]";
    }
  }
}

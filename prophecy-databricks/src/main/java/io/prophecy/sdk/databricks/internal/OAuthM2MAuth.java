package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.FormBody;

/**
 * Databricks OAuth machine to machine: a service principal's client id and OAuth secret are exchanged
 * at the workspace's {@code POST /oidc/v1/token} (HTTP basic {@code client_id:client_secret}, form
 * {@code grant_type=client_credentials&scope=all-apis}) for an access token of about an hour, which
 * is kept and renewed ahead of its expiry (see {@link AccessToken#renewAt()}), and once more when the
 * workspace answers 401.
 */
final class OAuthM2MAuth implements DatabricksAuth {
  private final String clientId;
  private final Secret clientSecret;
  private final OAuthTokenEndpoint endpoint;
  private final RenewingToken token;

  OAuthM2MAuth(String clientId, Secret clientSecret, DatabricksSettings settings, String userAgent,
      Platform.Sleeper sleeper, Clock clock) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    this.endpoint = new OAuthTokenEndpoint(
        settings.workspace().newBuilder().encodedPath("/oidc/v1/token").build(), "Databricks OAuth",
        DatabricksFabricProvider.CLIENT_ID + " and " + DatabricksFabricProvider.CLIENT_SECRET,
        List.of(clientSecret.reveal()), settings, userAgent, sleeper, clock);
    String basic = okhttp3.Credentials.basic(clientId, clientSecret.reveal(), StandardCharsets.UTF_8);
    this.token = new RenewingToken("Databricks OAuth token of client " + clientId,
        () -> endpoint.fetch(new FormBody.Builder().add("grant_type", "client_credentials").add("scope", "all-apis")
            .build(), basic), clock);
  }

  @Override
  public String authorization() {
    return "Bearer " + token.get();
  }

  @Override
  public boolean renew(String rejected) {
    return rejected != null && rejected.startsWith("Bearer ") && token.renew(rejected.substring("Bearer ".length()));
  }

  @Override
  public String description() {
    return "OAuth token of service principal " + clientId;
  }

  @Override
  public Iterable<String> secrets() {
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
    return "OAuthM2MAuth[" + clientId + ", ****]";
  }
}

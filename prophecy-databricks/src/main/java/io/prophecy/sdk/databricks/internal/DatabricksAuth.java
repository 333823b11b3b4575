package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import java.util.Objects;

/**
 * How a connection authenticates to the workspace: the value of the {@code Authorization} header of
 * each request. {@link #authorization()} is called for every request, so an implementation renews its
 * token there; {@link #renew} is called once when the workspace answers 401. Implementations are
 * thread-safe and never show a secret in {@code toString()}.
 *
 * <p>The kinds, chosen by {@link #from} from the credential fields present:
 *
 * <ul>
 *   <li>{@link PersonalAccessToken}: {@code token};
 *   <li>{@link OAuthM2MAuth}, Databricks OAuth machine to machine: {@code clientId}, {@code clientSecret};
 *   <li>{@link GeneratedTokenAuth} over an {@link AzureAdBearer.ServicePrincipal}: {@code azureTenantId},
 *       {@code azureClientId}, {@code azureClientSecret};
 *   <li>{@link GeneratedTokenAuth} over an {@link AzureAdBearer.UserToken}: {@code azureAdToken}, optionally
 *       {@code azureAdTokenExpiresAt}.
 * </ul>
 */
public interface DatabricksAuth {
  /** The {@code Authorization} header value, such as {@code Bearer dapi...}. */
  String authorization();

  /**
   * The workspace answered 401 to a request sent with {@code rejected}: renew the credential, unless
   * another caller already has.
   *
   * @return true when a different credential is current now, so that sending the request once more is
   *     worth it; false (the default) when there is nothing to renew
   */
  default boolean renew(String rejected) {
    return false;
  }

  /** What the auth is, for messages: {@code personal access token}. Never the secret. */
  String description();

  /** The secret values an answer might echo, to scrub from messages. */
  Iterable<String> secrets();

  /** Releases what the auth holds (an HTTP client of its own); called when the connection closes. */
  default void close() {}

  /**
   * Picks the auth the user's credentials hold: a personal access token only, for callers that have no
   * fabric or context at hand.
   *
   * @throws InvalidInputException when the credentials hold no personal access token
   */
  static DatabricksAuth from(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return credentials.secret(DatabricksFabricProvider.TOKEN).<DatabricksAuth>map(PersonalAccessToken::new)
        .orElseThrow(() -> AuthChoice.nothingUsable(credentials));
  }

  /**
   * Picks the auth the user's credentials hold, from the fields present (see {@link AuthChoice}).
   *
   * @throws InvalidInputException when the credentials hold no complete kind of auth, fields of two
   *     kinds, or a malformed field
   */
  static DatabricksAuth from(Credentials credentials, FabricConfig config, DatabricksSettings settings,
      ConnectorContext context, Platform platform) {
    return AuthChoice.of(credentials).create(credentials, config, settings, context, platform);
  }

  /** A personal access token, sent as a bearer token. */
  final class PersonalAccessToken implements DatabricksAuth {
    private final Secret token;

    public PersonalAccessToken(Secret token) {
      this.token = Objects.requireNonNull(token, "token");
    }

    @Override
    public String authorization() {
      return "Bearer " + token.reveal();
    }

    @Override
    public String description() {
      return "personal access token";
    }

    @Override
    public Iterable<String> secrets() {
      return java.util.List.of(token.reveal());
    }

    @Override
    public String toString() {
      return "PersonalAccessToken[****]";
    }
  }
}

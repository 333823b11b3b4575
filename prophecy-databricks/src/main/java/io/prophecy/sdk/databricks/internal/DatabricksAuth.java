package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.util.Objects;

/**
 * How a connection authenticates to the workspace: the value of the {@code Authorization} header of
 * each request. A personal access token is one; OAuth machine-to-machine and Azure AD tokens, which
 * expire and are fetched again, will be others ({@link #authorization()} is called for every request,
 * so an implementation may refresh there). Implementations are thread-safe and never show the secret in
 * {@code toString()}.
 */
public interface DatabricksAuth {
  /** The {@code Authorization} header value, such as {@code Bearer dapi...}. */
  String authorization();

  /** What the auth is, for messages: {@code personal access token}. Never the secret. */
  String description();

  /** The secret values an answer might echo, to scrub from messages. */
  Iterable<String> secrets();

  /**
   * Picks the auth the user's credentials hold.
   *
   * @throws InvalidInputException when the credentials hold none the connector can use
   */
  static DatabricksAuth from(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return credentials.secret(DatabricksFabricProvider.TOKEN).<DatabricksAuth>map(PersonalAccessToken::new)
        .orElseThrow(() -> new InvalidInputException("credentials." + DatabricksFabricProvider.TOKEN,
            "a Databricks fabric needs the user's personal access token; store one with"
                + " fabric.credentials().set(Credentials.ofSecret(\"token\", Secret.of(...)))"
                + " (the credentials hold " + credentials.fields() + ")"));
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

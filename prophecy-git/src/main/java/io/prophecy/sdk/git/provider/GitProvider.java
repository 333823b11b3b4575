package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.model.Secret;
import java.util.Optional;

/**
 * One provider at one host: GitHub at github.com, GitLab at a self-managed host, and so on. Immutable;
 * reached through {@link GitProviders}.
 */
public interface GitProvider {
  /** The provider. */
  ProviderKind kind();

  /** The web base URL, without a trailing slash, such as {@code https://gitlab.acme.example}. */
  String baseUrl();

  /**
   * The host (with a port when not the default), the key under which a user's credentials for this
   * provider are stored in the vault, such as {@code github.com}.
   */
  String host();

  /**
   * Checks that a remote URL is an HTTPS URL of a repository on this provider and host, and splits it.
   *
   * @throws io.prophecy.sdk.InvalidInputException saying what is wrong: credentials in the URL, another
   *     host, an SSH or web-page URL, a missing owner or repository
   */
  RemoteUrl validate(String remoteUrl);

  /**
   * The user name and password Git sends over HTTPS with a personal access token, as this provider
   * documents it.
   *
   * @throws io.prophecy.sdk.InvalidInputException when the provider needs a user name that the
   *     credentials lack
   */
  HttpsCredentials httpsCredentials(GitCredentials credentials);

  /**
   * The user name Git sends with a token over HTTPS when the user gave none: {@code oauth2} for GitLab,
   * {@code x-bitbucket-api-token-auth} for Bitbucket Cloud, the empty name for Azure DevOps. Empty where
   * the provider needs the user's own name (GitHub, Bitbucket Server, Gitea), so that
   * {@link #httpsCredentials(GitCredentials)} refuses credentials without one.
   */
  default Optional<String> defaultHttpsUser() {
    return Optional.empty();
  }

  /** The user name alone that {@link #httpsCredentials(GitCredentials)} gives. */
  default String httpsUser(GitCredentials credentials) {
    return httpsCredentials(credentials).username();
  }

  /** A REST client for these credentials. Close it when done. */
  ProviderClient client(GitCredentials credentials, ClientOptions options);

  /** A REST client for a token alone, with default options. */
  default ProviderClient client(Secret token) {
    return client(GitCredentials.token(token), ClientOptions.defaults());
  }
}

/**
 * Git hosting providers: which provider a remote URL belongs to, whether the URL is well formed for it,
 * the user name each expects beside a personal access token over HTTPS, and a small REST client per
 * provider to check a token (who am I), create a repository and open a pull request.
 *
 * <p>Providers: GitHub and GitHub Enterprise Server, GitLab (gitlab.com and self-managed), Bitbucket
 * Cloud, Bitbucket Server / Data Center, Azure DevOps (Services and Server), and Gitea (the managed Git
 * server). Hosts other than the public ones are registered with their base URL:
 *
 * <pre>{@code
 * GitProviders providers = GitProviders.builder()
 *     .host(ProviderKind.GITHUB, "https://github.acme.example")        // GitHub Enterprise Server
 *     .host(ProviderKind.GITLAB, "https://gitlab.acme.example")
 *     .build();
 * RemoteUrl remote = providers.resolve("https://github.acme.example/data/shop.git");
 * GitProvider provider = providers.provider(remote);
 * GitCredentials creds = GitCredentials.from(vaultCredentialsFor(provider.host()));
 * try (ProviderClient client = provider.client(creds, ClientOptions.defaults())) {
 *   Account me = client.whoami();
 *   client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue"));
 * }
 * }</pre>
 *
 * <p>Tokens are {@link io.prophecy.sdk.model.Secret}s: they never appear in {@code toString()}, log lines
 * or exception messages. Failures are the SDK's exceptions: {@link io.prophecy.sdk.PermissionDeniedException}
 * for a token the provider refuses (401) or that lacks a permission (403), {@link
 * io.prophecy.sdk.NotFoundException}, {@link io.prophecy.sdk.ConflictException} for a repository or pull
 * request that already exists, {@link io.prophecy.sdk.InvalidInputException} for a malformed URL or a
 * request the provider rejects, and {@link io.prophecy.sdk.ConnectorException} (kind = the provider's id)
 * for throttling, server errors and timeouts.
 */
package io.prophecy.sdk.git.provider;

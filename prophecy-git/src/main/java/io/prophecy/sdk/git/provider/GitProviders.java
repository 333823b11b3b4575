package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The providers the SDK knows, by host: the public ones (github.com, gitlab.com, bitbucket.org,
 * dev.azure.com and *.visualstudio.com) and the Enterprise and self-hosted ones registered with their base
 * URL. Immutable and thread-safe.
 *
 * <p>A remote URL is matched by host, port and base path, the longest registered base path winning, so
 * two providers may share a host under different paths. Bitbucket Server, Gitea and Azure DevOps Server
 * have no public host and are always registered.
 *
 * <pre>{@code
 * GitProviders providers = GitProviders.builder()
 *     .host(ProviderKind.GITHUB, "https://github.acme.example")
 *     .host(ProviderKind.BITBUCKET_SERVER, "https://git.acme.example/bitbucket")
 *     .host(ProviderKind.GITEA, "https://gitea.acme.example")
 *     .build();
 * GitProvider p = providers.provider("https://git.acme.example/bitbucket/scm/DATA/shop.git");
 * }</pre>
 */
public final class GitProviders {
  private static final GitProviders DEFAULTS = builder().build();

  private final List<AbstractGitProvider> providers;
  private final Map<String, AbstractGitProvider> explicit;
  private final boolean publicHosts;

  private GitProviders(List<AbstractGitProvider> providers, Map<String, AbstractGitProvider> explicit, boolean publicHosts) {
    this.providers = List.copyOf(providers);
    this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
    this.publicHosts = publicHosts;
  }

  /** The public hosts only. */
  public static GitProviders defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these providers' registrations, to register more. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.explicit.putAll(explicit);
    b.publicHosts = publicHosts;
    return b;
  }

  /** The registered providers: explicit ones first, then the public ones not replaced. */
  public List<GitProvider> providers() {
    return Collections.unmodifiableList(providers);
  }

  /**
   * Validates a remote URL against the provider of its host, and splits it.
   *
   * @throws InvalidInputException when the URL is malformed, carries credentials, is on no known host, or
   *     lacks the parts its provider needs
   */
  public RemoteUrl resolve(String remoteUrl) {
    return provider(remoteUrl).validate(remoteUrl);
  }

  /** The provider a remote URL belongs to (without checking its path beyond the base URL). */
  public GitProvider provider(String remoteUrl) {
    RemoteUrls.Parts parts = RemoteUrls.parse(remoteUrl);
    AbstractGitProvider best = providers.stream().filter(p -> p.covers(parts))
        .max(Comparator.comparingInt(AbstractGitProvider::basePathLength)).orElse(null);
    if (best != null) {
      return best;
    }
    if (parts.host().endsWith(".visualstudio.com") && parts.host().length() > ".visualstudio.com".length()) {
      return new AzureDevOpsProvider("https://" + parts.host(), null);
    }
    throw new InvalidInputException(RemoteUrls.LOCATION, "'" + parts.shown() + "' is on " + parts.host()
        + ", which is not a known Git provider host (known: " + providers.stream().map(GitProvider::baseUrl)
            .collect(Collectors.joining(", ")) + ", https://ORG.visualstudio.com); register it with "
        + "GitProviders.builder().host(ProviderKind.<KIND>, \"" + parts.scheme() + "://" + parts.host()
        + (parts.port() == 443 || parts.port() == 80 ? "" : ":" + parts.port()) + "\")");
  }

  /**
   * The provider a remote URL's host belongs to, or empty for a host no provider is registered at (a
   * plain Git server, or a local path or {@code file:} URL). The provider covering the URL's base path
   * wins; a URL on a provider's host outside its base path still belongs to that host's provider, whose
   * {@link GitProvider#validate(String) validate} then says so.
   *
   * @throws InvalidInputException when the URL is an http(s) URL that cannot be parsed, is an SSH URL or
   *     carries a password (never echoed)
   */
  public Optional<GitProvider> find(String remoteUrl) {
    String s = remoteUrl == null ? "" : remoteUrl.trim().toLowerCase(Locale.ROOT);
    if (!(s.startsWith("http://") || s.startsWith("https://") || s.startsWith("ssh://") || s.startsWith("git://")
        || s.startsWith("git+ssh://"))) {
      return Optional.empty();
    }
    RemoteUrls.Parts parts = RemoteUrls.parse(remoteUrl);
    Optional<GitProvider> covering = providers.stream().filter(p -> p.covers(parts))
        .max(Comparator.comparingInt(AbstractGitProvider::basePathLength)).map(p -> (GitProvider) p);
    if (covering.isPresent()) {
      return covering;
    }
    if (parts.host().endsWith(".visualstudio.com") && parts.host().length() > ".visualstudio.com".length()) {
      return Optional.of(new AzureDevOpsProvider("https://" + parts.host(), null));
    }
    return providers.stream().filter(p -> p.sameHost(parts)).findFirst().map(p -> (GitProvider) p);
  }

  /** The provider of a validated remote. */
  public GitProvider provider(RemoteUrl remote) {
    Objects.requireNonNull(remote, "remote");
    return provider(remote.kind(), remote.baseUrl());
  }

  /**
   * The registered provider of this kind at this base URL.
   *
   * @throws InvalidInputException when none is registered there
   */
  public GitProvider provider(ProviderKind kind, String baseUrl) {
    String wanted = trimSlash(baseUrl);
    for (AbstractGitProvider p : providers) {
      if (p.kind() == kind && p.baseUrl().equalsIgnoreCase(wanted)) {
        return p;
      }
    }
    if (kind == ProviderKind.AZURE_DEVOPS && wanted.toLowerCase(Locale.ROOT).endsWith(".visualstudio.com")) {
      return new AzureDevOpsProvider(wanted, null);
    }
    throw new InvalidInputException("git.provider", "no " + kind.displayName() + " is registered at " + wanted
        + "; register it with GitProviders.builder().host(ProviderKind." + kind.name() + ", \"" + wanted + "\")");
  }

  /** The provider of a kind at a base URL, without registering it. */
  static AbstractGitProvider create(ProviderKind kind, String baseUrl, String apiBaseUrl) {
    return switch (kind) {
      case GITHUB -> new GitHubProvider(baseUrl, apiBaseUrl);
      case GITLAB -> new GitLabProvider(baseUrl, apiBaseUrl);
      case BITBUCKET_CLOUD -> new BitbucketCloudProvider(baseUrl, apiBaseUrl);
      case BITBUCKET_SERVER -> new BitbucketServerProvider(baseUrl, apiBaseUrl);
      case AZURE_DEVOPS -> new AzureDevOpsProvider(baseUrl, apiBaseUrl);
      case GITEA -> new GiteaProvider(baseUrl, apiBaseUrl);
    };
  }

  private static String trimSlash(String url) {
    Objects.requireNonNull(url, "baseUrl");
    String u = url.trim();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  @Override
  public String toString() {
    return "GitProviders" + providers.stream().map(p -> p.kind().id() + "=" + p.baseUrl()).toList();
  }

  /** Collects hosts. Not thread-safe; {@link #build()} may be called more than once. */
  public static final class Builder {
    private final Map<String, AbstractGitProvider> explicit = new LinkedHashMap<>();
    private boolean publicHosts = true;

    private Builder() {}

    /**
     * Registers a provider at a base URL: a GitHub Enterprise Server, a self-managed GitLab, a Bitbucket
     * Server or Data Center (with its context path), an Azure DevOps Server (its collection's parent), a
     * Gitea. Replaces a public host of the same base URL.
     *
     * @throws InvalidInputException when the base URL is malformed or already registered for another kind
     */
    public Builder host(ProviderKind kind, String baseUrl) {
      return host(kind, baseUrl, null);
    }

    /**
     * The same, with the REST API's base URL where it is not the provider's default (a proxy, or a test
     * server). For Azure DevOps it is the profile service's base URL.
     */
    public Builder host(ProviderKind kind, String baseUrl, String apiBaseUrl) {
      Objects.requireNonNull(kind, "kind");
      AbstractGitProvider p = create(kind, trimSlash(baseUrl), apiBaseUrl);
      String key = p.baseUrl().toLowerCase(Locale.ROOT);
      AbstractGitProvider before = explicit.get(key);
      if (before != null && before.kind() != kind) {
        throw new InvalidInputException("git.provider", p.baseUrl() + " is registered twice, as "
            + before.kind().displayName() + " and as " + kind.displayName() + "; keep one");
      }
      explicit.put(key, p);
      return this;
    }

    /** Leaves out the public hosts, so that only registered ones are known. */
    public Builder withoutPublicHosts() {
      publicHosts = false;
      return this;
    }

    public GitProviders build() {
      List<AbstractGitProvider> all = new ArrayList<>(explicit.values());
      if (publicHosts) {
        for (AbstractGitProvider p : List.of(
            create(ProviderKind.GITHUB, GitHubProvider.PUBLIC_BASE, null),
            create(ProviderKind.GITLAB, GitLabProvider.PUBLIC_BASE, null),
            create(ProviderKind.BITBUCKET_CLOUD, BitbucketCloudProvider.PUBLIC_BASE, null),
            create(ProviderKind.AZURE_DEVOPS, AzureDevOpsProvider.PUBLIC_BASE, null))) {
          if (!explicit.containsKey(p.baseUrl().toLowerCase(Locale.ROOT))) {
            all.add(p);
          }
        }
      }
      return new GitProviders(all, explicit, publicHosts);
    }
  }
}

package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Bitbucket Cloud (bitbucket.org).
 *
 * <p>Facts, from Atlassian's documentation:
 *
 * <ul>
 *   <li>Clone URL: {@code https://bitbucket.org/WORKSPACE/REPO(.git)}; the clone URLs Bitbucket shows carry
 *       the user name before the host ({@code https://USER@bitbucket.org/...}), which is accepted and dropped.
 *   <li>Git over HTTPS with an API token: the token is the password, the user name is your Bitbucket user
 *       name or the static {@code x-bitbucket-api-token-auth} (support.atlassian.com/bitbucket-cloud/docs/using-api-tokens).
 *       Repository, project and workspace access tokens use {@code x-token-auth} (Atlassian's access-token
 *       pages). The SDK sends the stored user name, or {@code x-bitbucket-api-token-auth}.
 *   <li>REST: {@code https://api.bitbucket.org/2.0}. An API token authenticates by basic auth with the
 *       Atlassian account e-mail and the token (support.atlassian.com/bitbucket-cloud/kb, "Getting 401 HTTP
 *       error when using Basic authentication"; developer.atlassian.com/cloud "Basic auth for REST APIs");
 *       an access token is sent as {@code Authorization: Bearer} (support.atlassian.com/bitbucket-cloud/docs/using-project-access-tokens).
 *       The SDK uses basic auth when the credentials have an {@code email}, Bearer otherwise.
 *   <li>Endpoints: {@code GET /user}; {@code POST /repositories/{workspace}/{repo_slug}} with {@code scm,
 *       is_private, description, project.key}; {@code POST /repositories/{workspace}/{repo_slug}/pullrequests}
 *       with {@code title, description, source.branch.name, destination.branch.name}
 *       (developer.atlassian.com/cloud/bitbucket/rest/api-group-users, -repositories, -pullrequests).
 *   <li>Errors are {@code {"type":"error","error":{"message":...}}}; an existing repository answers 400
 *       "Repository with this Slug and Owner already exists.".
 * </ul>
 */
final class BitbucketCloudProvider extends AbstractGitProvider {
  static final String PUBLIC_BASE = "https://bitbucket.org";
  static final String API_TOKEN_USER = "x-bitbucket-api-token-auth";
  private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9_-]{1,62}");
  private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9._-]{1,62}");

  BitbucketCloudProvider(String baseUrl, String apiBaseUrl) {
    super(ProviderKind.BITBUCKET_CLOUD, baseUrl, apiBaseUrl);
  }

  @Override
  String defaultApiBase(String webBaseUrl) {
    return webBaseUrl.equals(PUBLIC_BASE) ? "https://api.bitbucket.org/2.0" : webBaseUrl + "/2.0";
  }

  @Override
  boolean acceptsUserName(String userName, List<String> below) {
    return true; // Bitbucket's own clone URLs name the user; without a password it is no credential.
  }

  @Override
  RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below) {
    if (below.size() != 2) {
      throw RemoteUrls.invalid(parts.shown(), below.size() < 2
          ? "has no " + (below.isEmpty() ? "workspace and repository" : "repository after the workspace '" + below.get(0) + "'")
              + "; a Bitbucket Cloud clone URL is " + baseUrl() + "/WORKSPACE/REPO.git"
          : "has more than WORKSPACE/REPO in its path; it looks like a page, not the clone URL "
              + baseUrl() + "/WORKSPACE/REPO.git");
    }
    String ws = checked(parts, "workspace", below.get(0), WORKSPACE, "letters, digits, '_' or '-'");
    String slug = checked(parts, "repository", RemoteUrls.stripGit(below.get(1)), SLUG,
        "letters, digits, '.', '_' or '-'");
    return new RemoteUrl(kind(), baseUrl(), ws, null, slug, baseUrl() + "/" + ws + "/" + slug + ".git");
  }

  @Override
  public Optional<String> defaultHttpsUser() {
    return Optional.of(API_TOKEN_USER);
  }

  @Override
  public HttpsCredentials httpsCredentials(GitCredentials credentials) {
    return new HttpsCredentials(credentials.usernameIfSet().orElse(API_TOKEN_USER), credentials.token());
  }

  @Override
  public ProviderClient client(GitCredentials credentials, ClientOptions options) {
    return new Client(credentials, options);
  }

  private final class Client implements ProviderClient {
    private final ProviderHttp http;

    Client(GitCredentials credentials, ClientOptions options) {
      String auth = credentials.email() != null
          ? new HttpsCredentials(credentials.email(), credentials.token()).basicAuthorization()
          : "Bearer " + credentials.token().reveal();
      this.http = new ProviderHttp(kind(), host(), List.of(apiBase()), credentials.token(),
          Map.of("Authorization", auth), Map.of("Accept", "application/json"), ProviderHttp::throttledStatus,
          this::readError, options);
    }

    private ProphecyException readError(int code, String message, String operation) {
      if (code == 400 && message != null && message.toLowerCase(Locale.ROOT).contains("already exists")) {
        return new ConflictException("Bitbucket Cloud at " + host() + ": " + operation
            + " failed, it already exists (HTTP 400: " + message + ")");
      }
      return null;
    }

    @Override
    public ProviderKind kind() {
      return ProviderKind.BITBUCKET_CLOUD;
    }

    @Override
    public Account whoami() {
      String op = "who am I";
      JsonNode u = http.get(apiBase().newBuilder().addPathSegment("user").build(), op).json();
      String name = Json.text(u, "/username") != null ? Json.text(u, "/username") : Json.text(u, "/nickname");
      if (name == null) {
        name = Json.need(kind(), host(), u, "/account_id", op);
      }
      return new Account(name, Json.text(u, "/display_name"), Json.need(kind(), host(), u, "/uuid", op));
    }

    @Override
    public Repository createRepository(CreateRepository request) {
      if (request.owner() == null) {
        throw new InvalidInputException("repository.owner", "Bitbucket Cloud creates repositories in a workspace; "
            + "give the workspace with CreateRepository.inOwner(workspace)");
      }
      String slug = request.name().toLowerCase(Locale.ROOT);
      String op = "create repository " + request.owner() + "/" + slug;
      HttpUrl url = apiBase().newBuilder().addPathSegment("repositories").addPathSegment(request.owner())
          .addPathSegment(slug).build();
      ObjectNode body = ProviderHttp.object().put("scm", "git").put("is_private", request.isPrivate());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      if (request.project() != null) {
        body.putObject("project").put("key", request.project());
      }
      JsonNode r = http.post(url, body, op).json();
      String clone = null;
      for (JsonNode link : r.path("links").path("clone")) {
        if ("https".equals(Json.text(link, "/name"))) {
          clone = RemoteUrls.redact(Json.text(link, "/href")).replace("****@", "");
        }
      }
      if (clone == null) {
        clone = baseUrl() + "/" + Json.need(kind(), host(), r, "/full_name", op) + ".git";
      }
      return new Repository(kind(), request.owner(), Json.text(r, "/project/key"), Json.need(kind(), host(), r, "/slug", op),
          clone, Json.text(r, "/links/html/href"), r.path("is_private").asBoolean(request.isPrivate()));
    }

    @Override
    public PullRequest openPullRequest(OpenPullRequest request) {
      requireOwn(request.repository());
      RemoteUrl repo = request.repository();
      String op = "open pull request " + request.sourceBranch() + " -> " + request.targetBranch() + " in "
          + repo.fullName();
      HttpUrl url = apiBase().newBuilder().addPathSegment("repositories").addPathSegment(repo.owner())
          .addPathSegment(repo.name()).addPathSegment("pullrequests").build();
      ObjectNode body = ProviderHttp.object().put("title", request.title());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      body.putObject("source").putObject("branch").put("name", request.sourceBranch());
      body.putObject("destination").putObject("branch").put("name", request.targetBranch());
      JsonNode pr = http.post(url, body, op).json();
      return new PullRequest(Json.needLong(kind(), host(), pr, "/id", op), Json.need(kind(), host(), pr, "/title", op),
          Json.need(kind(), host(), pr, "/state", op), Json.need(kind(), host(), pr, "/links/html/href", op));
    }

    @Override
    public void close() {
      http.close();
    }

    @Override
    public String toString() {
      return "BitbucketCloudClient[" + host() + "]";
    }
  }
}

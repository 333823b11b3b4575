package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ProphecyException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * GitHub (github.com) and GitHub Enterprise Server.
 *
 * <p>Facts, from GitHub's documentation:
 *
 * <ul>
 *   <li>Clone URL: {@code https://HOST/OWNER/REPO(.git)}.
 *   <li>Git over HTTPS with a personal access token: "Username: your_username, Password: your_token"
 *       (docs.github.com, "Git automation with OAuth tokens" / "Creating a personal access token": the
 *       token is entered instead of the password).
 *   <li>REST: {@code Authorization: Bearer YOUR-TOKEN}, {@code Accept: application/vnd.github+json},
 *       {@code X-GitHub-Api-Version: 2022-11-28} (docs.github.com/rest/authentication/authenticating-to-the-rest-api).
 *       The API is {@code https://api.github.com} for github.com and {@code http(s)://HOSTNAME/api/v3} for
 *       Enterprise Server (same page, Enterprise Server versions).
 *   <li>Endpoints: {@code GET /user}; {@code POST /user/repos} and {@code POST /orgs/{org}/repos} with
 *       {@code name, description, private}; {@code POST /repos/{owner}/{repo}/pulls} with {@code title, head,
 *       base, body} (docs.github.com/rest/users, /rest/repos/repos, /rest/pulls/pulls).
 *   <li>A repository name already taken is 422 with "name already exists on this account"; a second pull
 *       request for the same branches is 422 "A pull request already exists". Rate limits answer 403 or
 *       429, with {@code x-ratelimit-remaining: 0} or {@code retry-after} (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 * </ul>
 */
final class GitHubProvider extends AbstractGitProvider {
  static final String PUBLIC_BASE = "https://github.com";
  static final String API_VERSION = "2022-11-28";
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  GitHubProvider(String baseUrl, String apiBaseUrl) {
    super(ProviderKind.GITHUB, baseUrl, apiBaseUrl);
  }

  @Override
  String defaultApiBase(String webBaseUrl) {
    return webBaseUrl.equals(PUBLIC_BASE) ? "https://api.github.com" : webBaseUrl + "/api/v3";
  }

  @Override
  RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below) {
    if (below.size() < 2) {
      throw RemoteUrls.invalid(parts.shown(), below.isEmpty() ? "has no owner and repository; a GitHub clone URL is "
          + baseUrl() + "/OWNER/REPO.git" : "has no repository after the owner '" + below.get(0) + "'");
    }
    if (below.size() > 2) {
      throw RemoteUrls.invalid(parts.shown(), "has more than OWNER/REPO in its path; it looks like a page of the "
          + "repository, not its clone URL " + baseUrl() + "/OWNER/REPO.git");
    }
    String owner = checked(parts, "owner", below.get(0), OWNER, "1 to 39 letters, digits or '-', starting with a letter or digit");
    String name = checked(parts, "repository", RemoteUrls.stripGit(below.get(1)), REPO,
        "letters, digits, '.', '_' or '-'");
    return new RemoteUrl(kind(), baseUrl(), owner, null, name, baseUrl() + "/" + owner + "/" + name + ".git");
  }

  @Override
  public HttpsCredentials httpsCredentials(GitCredentials credentials) {
    return new HttpsCredentials(requireUsername(credentials, "your GitHub login"), credentials.token());
  }

  @Override
  public ProviderClient client(GitCredentials credentials, ClientOptions options) {
    return new Client(credentials, options);
  }

  private static boolean throttled(Response r) {
    return ProviderHttp.throttledStatus(r)
        || (r.code() == 403 && ("0".equals(r.header("x-ratelimit-remaining")) || r.header("retry-after") != null));
  }

  private final class Client implements ProviderClient {
    private final ProviderHttp http;

    Client(GitCredentials credentials, ClientOptions options) {
      this.http = new ProviderHttp(kind(), host(), List.of(apiBase()), credentials.token(),
          Map.of("Authorization", "Bearer " + credentials.token().reveal()),
          Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", API_VERSION),
          GitHubProvider::throttled, this::readError, options);
    }

    private ProphecyException readError(int code, String message, String operation) {
      if (code == 422 && message != null && message.toLowerCase(java.util.Locale.ROOT).contains("already exists")) {
        return new ConflictException("GitHub at " + host() + ": " + operation + " failed, it already exists (HTTP 422: "
            + message + ")");
      }
      return null;
    }

    @Override
    public ProviderKind kind() {
      return ProviderKind.GITHUB;
    }

    @Override
    public Account whoami() {
      String op = "who am I";
      JsonNode u = http.get(apiBase().newBuilder().addPathSegment("user").build(), op).json();
      return new Account(Json.need(kind(), host(), u, "/login", op), Json.text(u, "/name"),
          Json.need(kind(), host(), u, "/id", op));
    }

    @Override
    public Repository createRepository(CreateRepository request) {
      HttpUrl url = request.owner() == null
          ? apiBase().newBuilder().addPathSegments("user/repos").build()
          : apiBase().newBuilder().addPathSegment("orgs").addPathSegment(request.owner()).addPathSegment("repos").build();
      String op = "create repository " + (request.owner() == null ? "" : request.owner() + "/") + request.name();
      ObjectNode body = ProviderHttp.object().put("name", request.name());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      body.put("private", request.isPrivate());
      JsonNode r = http.post(url, body, op).json();
      return new Repository(kind(), Json.need(kind(), host(), r, "/owner/login", op), null,
          Json.need(kind(), host(), r, "/name", op), Json.need(kind(), host(), r, "/clone_url", op),
          Json.text(r, "/html_url"), r.path("private").asBoolean(request.isPrivate()));
    }

    @Override
    public PullRequest openPullRequest(OpenPullRequest request) {
      requireOwn(request.repository());
      RemoteUrl repo = request.repository();
      String op = "open pull request " + request.sourceBranch() + " -> " + request.targetBranch() + " in " + repo.fullName();
      HttpUrl url = apiBase().newBuilder().addPathSegment("repos").addPathSegment(repo.owner())
          .addPathSegment(repo.name()).addPathSegment("pulls").build();
      ObjectNode body = ProviderHttp.object().put("title", request.title()).put("head", request.sourceBranch())
          .put("base", request.targetBranch());
      if (request.description() != null) {
        body.put("body", request.description());
      }
      JsonNode pr = http.post(url, body, op).json();
      return new PullRequest(Json.needLong(kind(), host(), pr, "/number", op), Json.need(kind(), host(), pr, "/title", op),
          Json.need(kind(), host(), pr, "/state", op), Json.need(kind(), host(), pr, "/html_url", op));
    }

    @Override
    public void close() {
      http.close();
    }

    @Override
    public String toString() {
      return "GitHubClient[" + host() + "]";
    }
  }
}

package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Gitea, the managed Git server (self-hosted; registered with its base URL, which may have a sub-path).
 *
 * <p>Facts, from Gitea's documentation:
 *
 * <ul>
 *   <li>Clone URL: {@code BASE/OWNER/REPO(.git)}.
 *   <li>API authentication: "HTTP basic authentication", the {@code token} query parameters, or the header
 *       {@code Authorization: token <token>} ("for historical reasons, Gitea needs the word token included
 *       before the API key token in an authorization header") (docs.gitea.com, "API Usage", "Authentication").
 *       Git over HTTPS is HTTP basic authentication with the user's login and the access token as the password.
 *   <li>REST: {@code BASE/api/v1}. Endpoints: {@code GET /user}; {@code POST /user/repos} and
 *       {@code POST /orgs/{org}/repos} with {@code name, description, private}; {@code POST
 *       /repos/{owner}/{repo}/pulls} with {@code head, base, title, body} (the server's Swagger, {@code /api/swagger}).
 *   <li>Errors are {@code {"message": ..., "url": ...}}; a taken repository name and an existing pull request
 *       answer 409.
 * </ul>
 */
final class GiteaProvider extends AbstractGitProvider {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  GiteaProvider(String baseUrl, String apiBaseUrl) {
    super(ProviderKind.GITEA, baseUrl, apiBaseUrl);
  }

  @Override
  String defaultApiBase(String webBaseUrl) {
    return webBaseUrl + "/api/v1";
  }

  @Override
  RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below) {
    if (below.size() != 2) {
      throw RemoteUrls.invalid(parts.shown(), below.size() < 2
          ? "has no " + (below.isEmpty() ? "owner and repository" : "repository after the owner '" + below.get(0) + "'")
              + "; a Gitea clone URL is " + baseUrl() + "/OWNER/REPO.git"
          : "has more than OWNER/REPO in its path; it looks like a page, not the clone URL " + baseUrl() + "/OWNER/REPO.git");
    }
    String rule = "letters, digits, '_', '.' or '-'";
    String owner = checked(parts, "owner", below.get(0), NAME, rule);
    String name = checked(parts, "repository", RemoteUrls.stripGit(below.get(1)), NAME, rule);
    return new RemoteUrl(kind(), baseUrl(), owner, null, name, baseUrl() + "/" + owner + "/" + name + ".git");
  }

  @Override
  public HttpsCredentials httpsCredentials(GitCredentials credentials) {
    return new HttpsCredentials(requireUsername(credentials, "your Gitea login"), credentials.token());
  }

  @Override
  public ProviderClient client(GitCredentials credentials, ClientOptions options) {
    return new Client(credentials, options);
  }

  private final class Client implements ProviderClient {
    private final ProviderHttp http;

    Client(GitCredentials credentials, ClientOptions options) {
      this.http = new ProviderHttp(kind(), host(), List.of(apiBase()), credentials.token(),
          Map.of("Authorization", "token " + credentials.token().reveal()), Map.of("Accept", "application/json"),
          ProviderHttp::throttledStatus, (code, message, op) -> null, options);
    }

    @Override
    public ProviderKind kind() {
      return ProviderKind.GITEA;
    }

    @Override
    public Account whoami() {
      String op = "who am I";
      JsonNode u = http.get(apiBase().newBuilder().addPathSegment("user").build(), op).json();
      return new Account(Json.need(kind(), host(), u, "/login", op), Json.text(u, "/full_name"),
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
      ObjectNode body = ProviderHttp.object().put("head", request.sourceBranch()).put("base", request.targetBranch())
          .put("title", request.title());
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
      return "GiteaClient[" + host() + "]";
    }
  }
}

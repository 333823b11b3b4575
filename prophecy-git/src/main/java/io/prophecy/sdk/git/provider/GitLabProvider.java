package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ProphecyException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * GitLab (gitlab.com) and self-managed GitLab.
 *
 * <p>Facts, from GitLab's documentation:
 *
 * <ul>
 *   <li>Clone URL: {@code https://HOST/GROUP[/SUBGROUP...]/PROJECT(.git)}; {@code /-/} starts a page URL.
 *   <li>Git over HTTPS with a personal access token: the token is the password; the user name "can be any
 *       string value" and "must not be an empty string" (GitLab's personal access token documentation, as
 *       quoted in gitlab-org/gitlab#550508); for OAuth tokens it must be {@code oauth2}
 *       (docs.gitlab.com/ee/api/oauth2.html, "Access Git over HTTPS with access token"). The SDK sends the
 *       stored user name, or {@code oauth2}, which both kinds accept.
 *   <li>REST: {@code https://HOST/api/v4}, the token in the {@code PRIVATE-TOKEN} header (docs.gitlab.com/ee/api/rest,
 *       "Personal/project/group access tokens").
 *   <li>Endpoints: {@code GET /user}; {@code GET /namespaces/:id} (id or URL-encoded path) for a group's
 *       numeric id; {@code POST /projects} with {@code name, path, namespace_id, visibility, description};
 *       {@code POST /projects/:id/merge_requests} with {@code source_branch, target_branch, title,
 *       description} (docs.gitlab.com/ee/api/users.html, namespaces.html, projects.html, merge_requests.html).
 *   <li>A taken project name answers 400 {@code {"message":{"name":["has already been taken"], ...}}}
 *       (gitlab-org/gitlab#356008); an existing merge request for the branch answers 409.
 * </ul>
 */
final class GitLabProvider extends AbstractGitProvider {
  static final String PUBLIC_BASE = "https://gitlab.com";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  GitLabProvider(String baseUrl, String apiBaseUrl) {
    super(ProviderKind.GITLAB, baseUrl, apiBaseUrl);
  }

  @Override
  String defaultApiBase(String webBaseUrl) {
    return webBaseUrl + "/api/v4";
  }

  @Override
  RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below) {
    if (below.contains("-")) {
      throw RemoteUrls.invalid(parts.shown(), "is a page of a project (it has '/-/' in its path), not its clone URL "
          + baseUrl() + "/GROUP/PROJECT.git");
    }
    if (below.size() < 2) {
      throw RemoteUrls.invalid(parts.shown(), below.isEmpty() ? "has no namespace and project; a GitLab clone URL is "
          + baseUrl() + "/GROUP/PROJECT.git" : "has no project after the namespace '" + below.get(0) + "'");
    }
    String rule = "letters, digits, '_', '.' or '-', starting with a letter, digit or '_'";
    for (String seg : below.subList(0, below.size() - 1)) {
      checked(parts, "namespace part", seg, SEGMENT, rule);
    }
    String name = checked(parts, "project", RemoteUrls.stripGit(below.get(below.size() - 1)), SEGMENT, rule);
    String namespace = String.join("/", below.subList(0, below.size() - 1));
    return new RemoteUrl(kind(), baseUrl(), namespace, null, name, baseUrl() + "/" + namespace + "/" + name + ".git");
  }

  @Override
  public Optional<String> defaultHttpsUser() {
    return Optional.of("oauth2");
  }

  @Override
  public HttpsCredentials httpsCredentials(GitCredentials credentials) {
    return new HttpsCredentials(credentials.usernameIfSet().orElse("oauth2"), credentials.token());
  }

  @Override
  public ProviderClient client(GitCredentials credentials, ClientOptions options) {
    return new Client(credentials, options);
  }

  private final class Client implements ProviderClient {
    private final ProviderHttp http;

    Client(GitCredentials credentials, ClientOptions options) {
      this.http = new ProviderHttp(kind(), host(), List.of(apiBase()), credentials.token(),
          Map.of("PRIVATE-TOKEN", credentials.token().reveal()), Map.of("Accept", "application/json"),
          ProviderHttp::throttledStatus, this::readError, options);
    }

    private ProphecyException readError(int code, String message, String operation) {
      if (code == 400 && message != null && message.toLowerCase(Locale.ROOT).contains("has already been taken")) {
        return new ConflictException("GitLab at " + host() + ": " + operation + " failed, the name is taken (HTTP 400: "
            + message + ")");
      }
      return null;
    }

    @Override
    public ProviderKind kind() {
      return ProviderKind.GITLAB;
    }

    @Override
    public Account whoami() {
      String op = "who am I";
      JsonNode u = http.get(apiBase().newBuilder().addPathSegment("user").build(), op).json();
      return new Account(Json.need(kind(), host(), u, "/username", op), Json.text(u, "/name"),
          Json.need(kind(), host(), u, "/id", op));
    }

    @Override
    public Repository createRepository(CreateRepository request) {
      String op = "create project " + (request.owner() == null ? "" : request.owner() + "/") + request.name();
      ObjectNode body = ProviderHttp.object().put("name", request.name()).put("path", request.name());
      if (request.owner() != null) {
        String nsOp = "look up namespace " + request.owner();
        JsonNode ns = http.get(apiBase().newBuilder().addPathSegment("namespaces").addPathSegment(request.owner())
            .build(), nsOp).json();
        body.put("namespace_id", Json.needLong(kind(), host(), ns, "/id", nsOp));
      }
      body.put("visibility", request.isPrivate() ? "private" : "public");
      if (request.description() != null) {
        body.put("description", request.description());
      }
      JsonNode p = http.post(apiBase().newBuilder().addPathSegment("projects").build(), body, op).json();
      return new Repository(kind(), Json.need(kind(), host(), p, "/namespace/full_path", op), null,
          Json.need(kind(), host(), p, "/path", op), Json.need(kind(), host(), p, "/http_url_to_repo", op),
          Json.text(p, "/web_url"), !"public".equals(Json.text(p, "/visibility")));
    }

    @Override
    public PullRequest openPullRequest(OpenPullRequest request) {
      requireOwn(request.repository());
      RemoteUrl repo = request.repository();
      String op = "open merge request " + request.sourceBranch() + " -> " + request.targetBranch() + " in "
          + repo.fullName();
      // The project's id may be its URL-encoded path: addPathSegment encodes '/' as %2F.
      HttpUrl url = apiBase().newBuilder().addPathSegment("projects").addPathSegment(repo.fullName())
          .addPathSegment("merge_requests").build();
      ObjectNode body = ProviderHttp.object().put("source_branch", request.sourceBranch())
          .put("target_branch", request.targetBranch()).put("title", request.title());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      JsonNode mr = http.post(url, body, op).json();
      return new PullRequest(Json.needLong(kind(), host(), mr, "/iid", op), Json.need(kind(), host(), mr, "/title", op),
          Json.need(kind(), host(), mr, "/state", op), Json.need(kind(), host(), mr, "/web_url", op));
    }

    @Override
    public void close() {
      http.close();
    }

    @Override
    public String toString() {
      return "GitLabClient[" + host() + "]";
    }
  }
}

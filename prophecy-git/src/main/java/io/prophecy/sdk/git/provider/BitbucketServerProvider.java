package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.PermissionDeniedException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Bitbucket Server and Bitbucket Data Center (self-hosted; always registered with its base URL, which may
 * have a context path such as {@code https://host/bitbucket}).
 *
 * <p>Facts, from Atlassian's documentation:
 *
 * <ul>
 *   <li>Clone URL: {@code BASE/scm/PROJECT/REPO.git}, and {@code BASE/scm/~USER/REPO.git} for a personal
 *       repository; {@code BASE/projects/...} is a page URL.
 *   <li>Git over HTTPS with an HTTP access (personal access) token: the token replaces the password beside
 *       the user name; project and repository tokens work only with Bearer authentication, never with a
 *       user name (confluence.atlassian.com/bitbucketserver, "HTTP access tokens"; "Personal access tokens").
 *   <li>REST: {@code BASE/rest/api/1.0}, the token as {@code Authorization: Bearer} (same pages).
 *   <li>Who am I: there is no endpoint for it; Bitbucket names the authenticated user in the
 *       {@code X-AUSERNAME} (and {@code X-AUSERID}) header of any REST answer, and
 *       {@code GET /application-properties} answers anonymous callers too, so an answer without the header
 *       means the token was not accepted (as Eclipse Che and Renovate do; Atlassian community answer
 *       "Obtain authorised user's username from API").
 *   <li>Endpoints: {@code POST /projects/{projectKey}/repos} with {@code name, scmId, forkable, public,
 *       description} ({@code projectKey} {@code ~USER} for a personal repository);
 *       {@code POST /projects/{projectKey}/repos/{slug}/pull-requests} with {@code title, description,
 *       fromRef, toRef} (developer.atlassian.com/server/bitbucket/rest, Repository and Pull Requests).
 *   <li>Errors are {@code {"errors":[{"context":..,"message":..,"exceptionName":..}]}}; a taken name and a
 *       duplicate pull request both answer 409.
 * </ul>
 */
final class BitbucketServerProvider extends AbstractGitProvider {
  private static final Pattern PROJECT = Pattern.compile("~?[A-Za-z0-9_.-]{1,128}");
  private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  BitbucketServerProvider(String baseUrl, String apiBaseUrl) {
    super(ProviderKind.BITBUCKET_SERVER, baseUrl, apiBaseUrl);
  }

  @Override
  String defaultApiBase(String webBaseUrl) {
    return webBaseUrl + "/rest/api/1.0";
  }

  @Override
  RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below) {
    String form = "a Bitbucket Server clone URL is " + baseUrl() + "/scm/PROJECT/REPO.git";
    if (!below.isEmpty() && (below.get(0).equals("projects") || below.get(0).equals("users"))) {
      throw RemoteUrls.invalid(parts.shown(), "is a page of the repository, not its clone URL; " + form);
    }
    if (below.isEmpty() || !below.get(0).equals("scm")) {
      throw RemoteUrls.invalid(parts.shown(), "does not start with /scm/ below the base URL; " + form);
    }
    if (below.size() != 3) {
      throw RemoteUrls.invalid(parts.shown(), (below.size() < 3 ? "has no " + (below.size() == 1
          ? "project key and repository" : "repository after the project '" + below.get(1) + "'")
          : "has more than /scm/PROJECT/REPO in its path") + "; " + form);
    }
    String key = checked(parts, "project key", below.get(1), PROJECT, "letters, digits, '_', '.' or '-', or ~USER");
    String slug = checked(parts, "repository", RemoteUrls.stripGit(below.get(2)), SLUG, "letters, digits, '.', '_' or '-'");
    return new RemoteUrl(kind(), baseUrl(), key, null, slug, baseUrl() + "/scm/" + key + "/" + slug + ".git");
  }

  @Override
  public HttpsCredentials httpsCredentials(GitCredentials credentials) {
    return new HttpsCredentials(requireUsername(credentials, "your Bitbucket user name"), credentials.token());
  }

  @Override
  public ProviderClient client(GitCredentials credentials, ClientOptions options) {
    return new Client(credentials, options);
  }

  private final class Client implements ProviderClient {
    private final ProviderHttp http;

    Client(GitCredentials credentials, ClientOptions options) {
      this.http = new ProviderHttp(kind(), host(), List.of(apiBase()), credentials.token(),
          Map.of("Authorization", "Bearer " + credentials.token().reveal()), Map.of("Accept", "application/json"),
          ProviderHttp::throttledStatus, (code, message, op) -> null, options);
    }

    @Override
    public ProviderKind kind() {
      return ProviderKind.BITBUCKET_SERVER;
    }

    @Override
    public Account whoami() {
      String op = "who am I";
      ProviderHttp.Answer a = http.get(apiBase().newBuilder().addPathSegment("application-properties").build(), op);
      String user = a.headers().get("X-AUSERNAME");
      if (user == null || user.isBlank()) {
        throw new PermissionDeniedException("Bitbucket Server at " + host() + " answered " + op
            + " anonymously (no X-AUSERNAME header): it did not accept the token. Store a new HTTP access token for "
            + host() + "; project and repository tokens have no user.");
      }
      String id = a.headers().get("X-AUSERID");
      return new Account(user, null, id == null ? user : id);
    }

    @Override
    public Repository createRepository(CreateRepository request) {
      String key = request.owner() != null ? request.owner() : "~" + whoami().username();
      String op = "create repository " + key + "/" + request.name();
      HttpUrl url = apiBase().newBuilder().addPathSegment("projects").addPathSegment(key).addPathSegment("repos").build();
      ObjectNode body = ProviderHttp.object().put("name", request.name()).put("scmId", "git").put("forkable", true)
          .put("public", !request.isPrivate());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      JsonNode r = http.post(url, body, op).json();
      String clone = null;
      for (JsonNode link : r.path("links").path("clone")) {
        String name = Json.text(link, "/name");
        if ("http".equals(name) || "https".equals(name)) {
          clone = RemoteUrls.redact(Json.text(link, "/href")).replace("****@", "");
        }
      }
      String slug = Json.need(kind(), host(), r, "/slug", op);
      String projectKey = Json.need(kind(), host(), r, "/project/key", op);
      if (clone == null) {
        clone = baseUrl() + "/scm/" + projectKey + "/" + slug + ".git";
      }
      return new Repository(kind(), projectKey, null, slug, clone, Json.text(r, "/links/self/0/href"),
          !r.path("public").asBoolean(false));
    }

    @Override
    public PullRequest openPullRequest(OpenPullRequest request) {
      requireOwn(request.repository());
      RemoteUrl repo = request.repository();
      String op = "open pull request " + request.sourceBranch() + " -> " + request.targetBranch() + " in "
          + repo.fullName();
      HttpUrl url = apiBase().newBuilder().addPathSegment("projects").addPathSegment(repo.owner())
          .addPathSegment("repos").addPathSegment(repo.name()).addPathSegment("pull-requests").build();
      ObjectNode body = ProviderHttp.object().put("title", request.title());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      ref(body.putObject("fromRef"), request.sourceBranch(), repo);
      ref(body.putObject("toRef"), request.targetBranch(), repo);
      JsonNode pr = http.post(url, body, op).json();
      return new PullRequest(Json.needLong(kind(), host(), pr, "/id", op), Json.need(kind(), host(), pr, "/title", op),
          Json.need(kind(), host(), pr, "/state", op), Json.need(kind(), host(), pr, "/links/self/0/href", op));
    }

    private void ref(ObjectNode ref, String branch, RemoteUrl repo) {
      ref.put("id", "refs/heads/" + branch);
      ObjectNode r = ref.putObject("repository").put("slug", repo.name());
      r.putObject("project").put("key", repo.owner());
    }

    @Override
    public void close() {
      http.close();
    }

    @Override
    public String toString() {
      return "BitbucketServerClient[" + host() + "]";
    }
  }
}

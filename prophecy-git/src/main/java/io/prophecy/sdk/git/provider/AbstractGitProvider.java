package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/** What every provider shares: its base URL, host and the host and base-path checks of remote URLs. Not API. */
abstract class AbstractGitProvider implements GitProvider {
  private final ProviderKind kind;
  private final URI base;
  private final String baseUrl;
  private final String host;
  private final List<String> basePath;
  private final int port;
  private final HttpUrl apiBase;

  AbstractGitProvider(ProviderKind kind, String baseUrl, String apiBaseUrl) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.base = parseBase(kind, baseUrl, "baseUrl");
    String b = base.toString();
    this.baseUrl = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.port = base.getPort() >= 0 ? base.getPort() : base.getScheme().equals("https") ? 443 : 80;
    this.host = base.getHost().toLowerCase(Locale.ROOT) + (base.getPort() >= 0 ? ":" + base.getPort() : "");
    this.basePath = RemoteUrls.parse(this.baseUrl).segments();
    String api = apiBaseUrl != null ? apiBaseUrl : defaultApiBase(this.baseUrl);
    HttpUrl parsed = HttpUrl.parse(parseBase(kind, api, "apiBaseUrl").toString());
    if (parsed == null) {
      throw new InvalidInputException(kind.id() + ".apiBaseUrl", "'" + api + "' is not an HTTP(S) URL");
    }
    this.apiBase = parsed;
  }

  private static URI parseBase(ProviderKind kind, String url, String field) {
    String location = kind.id() + "." + field;
    if (url == null || url.isBlank()) {
      throw new InvalidInputException(location, "a base URL is required for " + kind.displayName());
    }
    URI u;
    try {
      u = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new InvalidInputException(location, "'" + RemoteUrls.redact(url) + "' is not a URL: " + e.getReason());
    }
    if (u.getScheme() == null || u.getHost() == null
        || !(u.getScheme().equalsIgnoreCase("https") || u.getScheme().equalsIgnoreCase("http"))) {
      throw new InvalidInputException(location, "'" + RemoteUrls.redact(url)
          + "' is not an http(s) URL with a host, such as https://git.example.com");
    }
    if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new InvalidInputException(location, "'" + RemoteUrls.redact(url)
          + "' must be a plain base URL, without user info, query or fragment");
    }
    return u;
  }

  /** The REST API's base URL when none is given, from the web base URL. */
  abstract String defaultApiBase(String webBaseUrl);

  /** Splits the path below the base URL into owner, project and name, or refuses it. */
  abstract RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below);

  /** Whether the URL may carry this user name before the host (no password): Azure DevOps, Bitbucket Cloud. */
  boolean acceptsUserName(String userName, List<String> below) {
    return false;
  }

  @Override
  public final ProviderKind kind() {
    return kind;
  }

  @Override
  public final String baseUrl() {
    return baseUrl;
  }

  @Override
  public final String host() {
    return host;
  }

  /** The REST API's base URL. */
  final HttpUrl apiBase() {
    return apiBase;
  }

  /** Whether a URL's host, port and path fall under this provider's base URL. */
  final boolean covers(RemoteUrls.Parts parts) {
    return sameHost(parts)
        && parts.segments().size() >= basePath.size()
        && parts.segments().subList(0, basePath.size()).equals(basePath);
  }

  /** Same host, and same port unless both are a scheme's default (an http URL of an https host is then refused). */
  final boolean sameHost(RemoteUrls.Parts parts) {
    boolean defaults = (parts.port() == 443 || parts.port() == 80) && (port == 443 || port == 80);
    return parts.host().equals(base.getHost().toLowerCase(Locale.ROOT)) && (parts.port() == port || defaults);
  }

  final int basePathLength() {
    return basePath.size();
  }

  @Override
  public final RemoteUrl validate(String remoteUrl) {
    RemoteUrls.Parts parts = RemoteUrls.parse(remoteUrl);
    if (!sameHost(parts)) {
      throw RemoteUrls.invalid(parts.shown(), "is on host " + parts.host() + (parts.port() == 443 || parts.port() == 80
          ? "" : ":" + parts.port()) + ", not on " + kind.displayName() + " at " + host
          + "; register that host with GitProviders.builder().host(kind, baseUrl) if it is another provider");
    }
    if (!parts.scheme().equals(base.getScheme().toLowerCase(Locale.ROOT)) && !parts.scheme().equals("https")) {
      throw RemoteUrls.invalid(parts.shown(), "uses http, but " + kind.displayName() + " at " + host
          + " is served over " + base.getScheme() + "; a token is never sent over plain http to an https host");
    }
    if (parts.segments().size() < basePath.size()
        || !parts.segments().subList(0, basePath.size()).equals(basePath)) {
      throw RemoteUrls.invalid(parts.shown(), "is not under the base URL " + baseUrl + " of " + kind.displayName());
    }
    List<String> below = parts.segments().subList(basePath.size(), parts.segments().size());
    if (parts.userName() != null && !acceptsUserName(parts.userName(), below)) {
      throw RemoteUrls.invalid(parts.shown(), "has user info before the host; remove it: a token there would be "
          + "stored in plain text, and the SDK takes the token from the user's credentials in the vault");
    }
    return interpret(parts, below);
  }

  /** Requires a segment to match a pattern, naming the part and the rule. */
  static String checked(RemoteUrls.Parts parts, String part, String value, Pattern pattern, String rule) {
    if (value == null || value.isEmpty()) {
      throw RemoteUrls.invalid(parts.shown(), "has no " + part);
    }
    if (!pattern.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw RemoteUrls.invalid(parts.shown(), "has the " + part + " '" + value + "', which is not valid: " + rule);
    }
    return value;
  }

  /** Refuses a remote of another provider or host. */
  final void requireOwn(RemoteUrl remote) {
    if (remote.kind() != kind || !remote.baseUrl().equals(baseUrl)) {
      throw new InvalidInputException("pullRequest.repository", "'" + remote.httpsUrl() + "' is a "
          + remote.kind().displayName() + " repository at " + remote.baseUrl() + ", not on " + kind.displayName()
          + " at " + baseUrl);
    }
  }

  /** Requires a user name in the credentials, saying what this provider expects. */
  final String requireUsername(GitCredentials credentials, String expectation) {
    return credentials.usernameIfSet().orElseThrow(() -> new InvalidInputException(
        "credentials." + GitCredentials.USERNAME_FIELD, kind.displayName() + " at " + host + " expects " + expectation
            + " as the user name beside a personal access token over HTTPS; store it in the credential field '"
            + GitCredentials.USERNAME_FIELD + "' (the client's whoami() tells it)"));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + baseUrl + "]";
  }
}

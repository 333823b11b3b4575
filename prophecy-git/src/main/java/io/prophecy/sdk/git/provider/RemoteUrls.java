package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing of remote URLs shared by the providers; every refusal names what is wrong. Not API. */
final class RemoteUrls {
  static final String LOCATION = "remoteUrl";
  private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!//).*");

  private RemoteUrls() {}

  /** A remote URL split into what the providers look at. User info is kept only as "present or not". */
  record Parts(String scheme, String host, int port, String userName, List<String> segments, String shown) {}

  /** The URL as it may be shown: user info, which may hold a token, replaced by {@code ****}. */
  static String redact(String url) {
    if (url == null) {
      return "null";
    }
    String s = url.trim();
    int scheme = s.indexOf("://");
    if (scheme < 0) {
      int at = s.indexOf('@');
      return at < 0 ? s : "****" + s.substring(at);
    }
    int start = scheme + 3;
    int slash = s.indexOf('/', start);
    int end = slash < 0 ? s.length() : slash;
    int at = s.lastIndexOf('@', end - 1);
    if (at >= start) {
      return s.substring(0, start) + "****" + s.substring(at);
    }
    return s;
  }

  /** Parses an HTTP(S) URL; SSH and git:// URLs, credentials, queries and fragments are refused. */
  static Parts parse(String remoteUrl) {
    if (remoteUrl == null || remoteUrl.isBlank()) {
      throw new InvalidInputException(LOCATION, "the remote URL is empty; give the repository's HTTPS clone URL");
    }
    String s = remoteUrl.trim();
    String shown = redact(s);
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("ssh://") || lower.startsWith("git://") || lower.startsWith("git+ssh://")
        || SCP_LIKE.matcher(s).matches()) {
      throw new InvalidInputException(LOCATION, "'" + shown + "' is an SSH or git:// URL; personal access tokens "
          + "work over HTTPS only, so give the repository's HTTPS clone URL (https://...)");
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new InvalidInputException(LOCATION, "'" + shown + "' is not a URL (" + e.getReason()
          + "); give the repository's HTTPS clone URL");
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new InvalidInputException(LOCATION, "'" + shown + "' is not an absolute URL with a host; give the "
          + "repository's HTTPS clone URL, such as https://host/owner/repo.git");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new InvalidInputException(LOCATION, "'" + shown + "' uses the scheme '" + scheme
          + "'; personal access tokens are sent over HTTPS only");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InvalidInputException(LOCATION, "'" + shown + "' has a query or fragment; a clone URL has neither");
    }
    String userInfo = uri.getRawUserInfo();
    String userName = null;
    boolean hasPassword = false;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      hasPassword = colon >= 0;
      userName = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
    }
    if (hasPassword) {
      throw new InvalidInputException(LOCATION, "'" + shown + "' carries credentials (a user name and a password or "
          + "token before the host); remove them: Git would store them in plain text, and the SDK takes the token "
          + "from the user's credentials in the vault");
    }
    List<String> segments = new ArrayList<>();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    for (String seg : path.split("/")) {
      if (!seg.isEmpty()) {
        segments.add(decode(seg));
      }
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return new Parts(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, userName, segments, shown);
  }

  static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Drops a trailing {@code .git} from a repository segment. */
  static String stripGit(String seg) {
    return seg.toLowerCase(Locale.ROOT).endsWith(".git") ? seg.substring(0, seg.length() - 4) : seg;
  }

  static InvalidInputException invalid(String shown, String what) {
    return new InvalidInputException(LOCATION, "'" + shown + "' " + what);
  }
}

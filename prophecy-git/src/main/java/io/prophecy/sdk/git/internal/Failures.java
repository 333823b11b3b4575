package io.prophecy.sdk.git.internal;

import io.prophecy.sdk.GitAuthenticationException;
import io.prophecy.sdk.GitException;
import io.prophecy.sdk.spi.RemoteAuth;
import java.util.Locale;
import org.eclipse.jgit.api.errors.TransportException;

/** Turns JGit's failures at a remote into the SDK's, naming the host and what to do, never the token. */
public final class Failures {
  private Failures() {}

  /**
   * The failure of an operation on a remote.
   *
   * @param doing {@code clone}, {@code fetch} or {@code push}
   */
  public static GitException remote(String doing, String url, RemoteAuth auth, Exception e) {
    String message = scrub(messages(e), auth);
    String where = safeUrl(url);
    String host = auth.host().isEmpty() ? where : auth.host();
    if (isAuthentication(e, message)) {
      String how = "session.gitCredentials().set(\"" + host + "\", token)";
      return new GitAuthenticationException("Cannot " + doing + " " + where + ": the Git host " + host
          + (auth.isPresent()
              ? " refused the token stored for it (user name '" + auth.username().orElse("") + "'). Store a valid token with " + how
              : " asks for credentials and none are stored for it. Store a token with " + how),
          new GitException(message));
    }
    return new GitException("Cannot " + doing + " " + where + ": " + message
        + ". Check the URL and the network and try again; repeating a " + doing + " that failed on the way is safe",
        new GitException(message));
  }

  private static boolean isAuthentication(Exception e, String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return (e instanceof TransportException || e.getCause() instanceof org.eclipse.jgit.errors.TransportException)
        && (m.contains("not authorized") || m.contains("authentication is required") || m.contains("authentication not supported")
            || m.contains(" 401") || m.contains(" 403") || m.contains("forbidden"));
  }

  /** The messages of an exception and its causes, one after another. */
  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    return sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString();
  }

  /** Text with the token (if any) replaced. */
  public static String scrub(String text, RemoteAuth auth) {
    String out = text == null ? "" : text;
    if (auth.token().isPresent()) {
      out = out.replace(auth.token().get().reveal(), "****");
    }
    return safeUrl(out);
  }

  /** URLs in the text with any user information replaced. */
  public static String safeUrl(String text) {
    return text.replaceAll("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@", "$1****@");
  }
}

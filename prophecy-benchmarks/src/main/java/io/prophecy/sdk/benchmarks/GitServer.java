package io.prophecy.sdk.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Git smart-HTTP server the Git benchmarks push to: nginx + fcgiwrap + git-http-backend, started by
 * {@code scripts/bench-git.sh} (the same server as {@code scripts/test.sh}'s), described by system
 * properties the script hands to the JMH forks with {@code -jvmArgsAppend}:
 *
 * <ul>
 *   <li>{@value #URL} the base URL, {@code http://127.0.0.1:58080/}; repository {@code x.git} is {@code <url>x.git}
 *   <li>{@value #USER} the basic-auth user
 *   <li>{@value #TOKEN_FILE} a file (mode 600) holding the user's token: JMH prints every fork's JVM
 *       options, so the token itself is never one of them
 *   <li>{@value #ROOT} the folder of the bare repositories ({@code GIT_PROJECT_ROOT})
 * </ul>
 */
final class GitServer {
  static final String URL = "prophecy.bench.git.url";
  static final String USER = "prophecy.bench.git.user";
  static final String TOKEN_FILE = "prophecy.bench.git.tokenFile";
  static final String ROOT = "prophecy.bench.git.root";

  final String url;
  final String user;
  final Path root;
  private final String token;

  private GitServer(String url, String user, String token, Path root) {
    this.url = url;
    this.user = user;
    this.token = token;
    this.root = root;
  }

  /** The server the system properties name; fails saying how to start one when any is missing. */
  static GitServer fromSystemProperties() throws IOException {
    List<String> missing = new ArrayList<>();
    for (String p : List.of(URL, USER, TOKEN_FILE, ROOT)) {
      if (System.getProperty(p, "").isBlank()) {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("No Git server: " + String.join(", ", missing) + " not set. Run the Git benchmarks"
          + " with scripts/bench-git.sh, which starts nginx + git-http-backend and passes them");
    }
    String url = System.getProperty(URL);
    String token = Files.readString(Path.of(System.getProperty(TOKEN_FILE)), StandardCharsets.UTF_8).strip();
    Path root = Path.of(System.getProperty(ROOT));
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(ROOT + " is no folder: " + root);
    }
    return new GitServer(url.endsWith("/") ? url : url + "/", System.getProperty(USER), token, root);
  }

  /** The host as the SDK's Git credentials name it: {@code 127.0.0.1:58080}. */
  String host() {
    URI u = URI.create(url);
    return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
  }

  /** The token, for the SDK's vault and the git CLI's credential helper; never printed. */
  String token() {
    return token;
  }

  /**
   * A fresh, empty bare repository {@code <prefix>-<random>.git} on branch {@code main}, pushable over
   * HTTP, without automatic gc after a push (it would run in the background into the next measurement),
   * owned by the server's user. Returns its clone URL.
   */
  String createRepository(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".git";
    Path dir = root.resolve(name);
    run(root, Map.of(), "git", "init", "--quiet", "--bare", "-b", "main", dir.toString());
    run(root, Map.of(), "git", "--git-dir=" + dir, "config", "http.receivepack", "true");
    run(root, Map.of(), "git", "--git-dir=" + dir, "config", "receive.autogc", "false");
    giveToOwnerOfRoot(dir);
    return url + name;
  }

  /** The folder of a repository of this server, by its URL. */
  Path directory(String repositoryUrl) {
    return root.resolve(repositoryUrl.substring(url.length()));
  }

  private void giveToOwnerOfRoot(Path dir) {
    try {
      PosixFileAttributes owner = Files.readAttributes(root, PosixFileAttributes.class);
      try (var paths = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
          view.setOwner(owner.owner());
          view.setGroup(owner.group());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot give " + dir + " to the owner of " + root + " (git-http-backend's user);"
          + " run as root or as that user", e);
    }
  }

  /**
   * Runs a command and returns its output (stdout and stderr together); fails with that output when it
   * exits non-zero. The output is git's own and never holds the token, which travels in the environment.
   */
  static String run(Path dir, Map<String, String> env, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("Timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
    }
  }
}

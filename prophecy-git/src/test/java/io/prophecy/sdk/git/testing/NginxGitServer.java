package io.prophecy.sdk.git.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The reference Git smart-HTTP server of the tests: nginx with basic auth in front of fcgiwrap and
 * {@code git-http-backend}, which {@code scripts/test.sh} installs, starts on 127.0.0.1 and stops. Its
 * base URL, user, token and repository folder come in the system properties {@value #URL_PROPERTY},
 * {@value #USER_PROPERTY}, {@value #TOKEN_PROPERTY} and {@value #ROOT_PROPERTY}.
 *
 * <p>Without them a test that uses this extension is skipped, unless {@value #REQUIRED_PROPERTY} is
 * {@code true} (the test command sets it): then it fails, so a missing server is never a silent skip.
 *
 * <p>A test method that takes a {@link Remote} parameter gets a fresh, empty bare repository (branch
 * {@code main}, push enabled), deleted after the test:
 *
 * <pre>{@code
 * @ExtendWith(NginxGitServer.class)
 * class MyTest {
 *   @Test void pushes(NginxGitServer.Remote remote) {
 *     Git.cloneRepository().setURI(remote.cloneUrl()).setCredentialsProvider(remote.credentials())...
 *   }
 * }
 * }</pre>
 *
 * A test that needs more repositories takes a {@code NginxGitServer} parameter (or registers the
 * extension in a static {@code @RegisterExtension} field) and calls {@link #createRepository(String)}; one
 * that needs a second person on the server calls {@link #addUser(String)} for a user and token of their
 * own (removed after the test).
 */
public final class NginxGitServer implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  public static final String URL_PROPERTY = "prophecy.test.git.url";
  public static final String USER_PROPERTY = "prophecy.test.git.user";
  public static final String TOKEN_PROPERTY = "prophecy.test.git.token";
  public static final String ROOT_PROPERTY = "prophecy.test.git.root";
  public static final String REQUIRED_PROPERTY = "prophecy.test.git.required";
  /**
   * The htpasswd file nginx checks basic auth against, where {@link #addUser(String)} adds users; optional,
   * {@code htpasswd} beside the repository root (where scripts/test.sh writes it) when not set.
   */
  public static final String HTPASSWD_PROPERTY = "prophecy.test.git.htpasswd";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NginxGitServer.class);

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Serializes edits of the htpasswd file by the tests of this JVM. */
  private static final Object HTPASSWD_LOCK = new Object();
  private static final SecureRandom RANDOM = new SecureRandom();

  private volatile Settings settings;
  /** The users added during the test running, removed after it. */
  private final List<String> addedUsers = new CopyOnWriteArrayList<>();

  /** Checked before each test (not once per class) so that a skip counts every skipped test. */
  @Override
  public void beforeEach(ExtensionContext context) {
    settings();
  }

  /** Removes the users the test added. */
  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (addedUsers.isEmpty()) {
      return;
    }
    List<String> names = List.copyOf(addedUsers);
    addedUsers.clear();
    Path file = htpasswd();
    synchronized (HTPASSWD_LOCK) {
      List<String> kept = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int colon = line.indexOf(':');
        if (colon < 0 || !names.contains(line.substring(0, colon))) {
          kept.add(line);
        }
      }
      Path next = file.resolveSibling(file.getFileName() + ".next");
      Files.write(next, kept, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Adds a basic-auth user to the server for the test running (removed after it), with a random token:
   * a second person with credentials of their own. nginx reads its htpasswd file on every request, so
   * the user is let in at once. The token is stored salted and hashed ({@code {SSHA}}).
   *
   * @param name letters, digits, '.', '_' and '-'; not a user the server has
   * @return the user and their token
   */
  public User addUser(String name) {
    settings();
    if (!USER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A user name is up to 64 letters, digits, '.', '_' and '-': " + name);
    }
    byte[] raw = new byte[20];
    RANDOM.nextBytes(raw);
    String token = HexFormat.of().formatHex(raw);
    byte[] salt = new byte[8];
    RANDOM.nextBytes(salt);
    Path file = htpasswd();
    synchronized (HTPASSWD_LOCK) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.startsWith(name + ":")) {
            throw new IllegalStateException("The test Git server has a user " + name + " already");
          }
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(token.getBytes(StandardCharsets.UTF_8));
        sha1.update(salt);
        byte[] digest = sha1.digest();
        byte[] hashAndSalt = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, hashAndSalt, digest.length, salt.length);
        String entry = name + ":{SSHA}" + Base64.getEncoder().encodeToString(hashAndSalt) + "\n";
        Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot add the user " + name + " to " + file + ": " + e.getMessage(), e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("No SHA-1 in this JVM", e);
      }
    }
    addedUsers.add(name);
    return new User(name, token);
  }

  /** The htpasswd file: {@value #HTPASSWD_PROPERTY}, else {@code htpasswd} beside the repository root. */
  private Path htpasswd() {
    String given = System.getProperty(HTPASSWD_PROPERTY, "").trim();
    Path file = given.isEmpty() ? settings().root().toAbsolutePath().getParent().resolve("htpasswd") : Path.of(given);
    if (!Files.isRegularFile(file) || !Files.isWritable(file)) {
      throw new IllegalStateException("No writable htpasswd file of the test Git server at " + file + ": adding users"
          + " needs the file nginx's auth_basic_user_file names; pass it with -D" + HTPASSWD_PROPERTY);
    }
    return file;
  }

  /** A basic-auth user of the server and their token. {@code toString()} hides the token. */
  public record User(String name, String token) {
    /** JGit credentials for this user. */
    public CredentialsProvider credentials() {
      return new UsernamePasswordCredentialsProvider(name, token);
    }

    @Override
    public String toString() {
      return "User[" + name + ", token ***]";
    }
  }

  /** The server's settings; skips or fails the calling test (see the class comment) when there is none. */
  public Settings settings() {
    Settings s = settings;
    if (s == null) {
      s = Settings.from(System::getProperty);
      s.checkReachable();
      settings = s;
    }
    return s;
  }

  /**
   * Creates an empty bare repository {@code <name>.git} under the server's root, with branch
   * {@code main}, {@code http.receivepack} on and a reflog for every ref, owned by the owner of the root
   * (the user git-http-backend runs as) so that pushes can write it.
   */
  public Remote createRepository(String name) {
    Settings s = settings();
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A repository name is letters, digits, '.', '_' and '-': " + name);
    }
    String dirName = name.endsWith(".git") ? name : name + ".git";
    Path dir = s.root().resolve(dirName);
    if (Files.exists(dir)) {
      throw new IllegalStateException("The test Git server already has a repository " + dir);
    }
    git(s.root(), "init", "--quiet", "--bare", "-b", "main", dir.toString());
    git(s.root(), "--git-dir=" + dir, "config", "http.receivepack", "true");
    git(s.root(), "--git-dir=" + dir, "config", "core.logAllRefUpdates", "true");
    giveToOwnerOf(s.root(), dir);
    return new Remote(s.url() + dirName, dir, s.user(), s.token());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Remote.class || type == NginxGitServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == NginxGitServer.class) {
      return this;
    }
    String test = context.getTestMethod().map(m -> m.getName()).orElse("test");
    String name = (test.length() > 40 ? test.substring(0, 40) : test) + "-" + UUID.randomUUID().toString().substring(0, 8);
    settings(); // skips or fails as such, not as a parameter problem
    Remote remote;
    try {
      remote = createRepository(name);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("No test repository on the Git server: " + e.getMessage(), e);
    }
    // Deleted when the test's context closes (JUnit closes AutoCloseable values in its store).
    context.getStore(NS).put(remote.directory(), (AutoCloseable) () -> deleteTree(remote.directory()));
    return remote;
  }

  /** A bare repository on the server: its clone URL, its folder, and the basic-auth credentials. */
  public record Remote(String cloneUrl, Path directory, String user, String token) {
    /** JGit credentials for this server's user and token. */
    public CredentialsProvider credentials() {
      return new UsernamePasswordCredentialsProvider(user, token);
    }

    /** JGit credentials with the right user and the given (wrong) password. */
    public CredentialsProvider credentials(String password) {
      return new UsernamePasswordCredentialsProvider(user, password);
    }

    @Override
    public String toString() {
      return "Remote[" + cloneUrl + " at " + directory + ", user " + user + ", token ***]";
    }
  }

  /** Where the server is, as the test command passes it. */
  public record Settings(String url, String user, String token, Path root) {
    /**
     * Reads the settings through the given lookup (system properties in tests). When none is set the
     * calling test is skipped, or fails if {@code prophecy.test.git.required} is {@code true}; some set and
     * some not is a misconfiguration and always fails.
     */
    public static Settings from(Function<String, String> properties) {
      Map<String, String> values = new java.util.LinkedHashMap<>();
      for (String key : List.of(URL_PROPERTY, USER_PROPERTY, TOKEN_PROPERTY, ROOT_PROPERTY)) {
        String v = properties.apply(key);
        values.put(key, v == null ? "" : v.trim());
      }
      List<String> missing = new ArrayList<>();
      values.forEach((k, v) -> {
        if (v.isEmpty()) {
          missing.add(k);
        }
      });
      boolean required = Boolean.parseBoolean(String.valueOf(properties.apply(REQUIRED_PROPERTY)).trim());
      String how = "scripts/test.sh starts the reference Git server (nginx + fcgiwrap + git-http-backend)"
          + " and passes -D" + URL_PROPERTY + ", -D" + USER_PROPERTY + ", -D" + TOKEN_PROPERTY + " and -D" + ROOT_PROPERTY;
      if (missing.size() == values.size()) {
        String message = "No test Git server: " + how;
        if (required) {
          throw new IllegalStateException(message + "; " + REQUIRED_PROPERTY + "=true, so this is a failure, not a skip");
        }
        Assumptions.abort(message);
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("The test Git server is half configured, missing " + missing + ": " + how);
      }
      String url = values.get(URL_PROPERTY);
      URI uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalStateException(URL_PROPERTY + " is not an http(s) URL: " + url);
      }
      return new Settings(url.endsWith("/") ? url : url + "/", values.get(USER_PROPERTY), values.get(TOKEN_PROPERTY),
          Path.of(values.get(ROOT_PROPERTY)));
    }

    /** Fails, saying what is wrong, unless the root is a folder and the server accepts connections. */
    void checkReachable() {
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException(ROOT_PROPERTY + " is not a folder: " + root);
      }
      URI uri = URI.create(url);
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
      } catch (IOException e) {
        throw new IllegalStateException("The test Git server at " + url + " does not answer (" + e.getMessage()
            + "): is scripts/test.sh's nginx still running?", e);
      }
    }

    @Override
    public String toString() {
      return "Settings[" + url + ", user " + user + ", token ***, root " + root + "]";
    }
  }

  private static void git(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("Timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + String.join(" ", command) + " (is git installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
    }
  }

  /** Gives the new repository to the owner and group of the root, where they differ from ours. */
  private static void giveToOwnerOf(Path root, Path dir) {
    try {
      PosixFileAttributes rootAttrs = Files.readAttributes(root, PosixFileAttributes.class);
      UserPrincipal owner = rootAttrs.owner();
      GroupPrincipal group = rootAttrs.group();
      PosixFileAttributes dirAttrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (owner.equals(dirAttrs.owner()) && group.equals(dirAttrs.group())) {
        return;
      }
      try (var paths = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
          view.setOwner(owner);
          view.setGroup(group);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("Cannot give " + dir + " to the Git server's user (the owner of " + root
          + "); run the tests as root or as that user: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}

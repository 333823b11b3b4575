package io.prophecy.sdk.git;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.FileResolver;

/**
 * A real Git smart-HTTP server in the test JVM: JGit's {@link GitServlet} in Jetty 12 on 127.0.0.1,
 * serving the bare repositories under a folder at {@code /git/<name>.git}, behind HTTP basic auth
 * (user name and token pairs). Pushes are accepted from any authenticated user.
 */
final class GitHttpServer implements AutoCloseable {
  private static final String USER = GitHttpServer.class.getName() + ".user";

  private final Path base;
  /** token -> the user name it must come with, or "*" for any (as hosts that authenticate by token alone). */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  /** Every request as "METHOD path?query user-or-anonymous status". */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** The user name of every request let in, in order (possibly empty: a name is whatever came before the colon). */
  final List<String> users = new CopyOnWriteArrayList<>();
  /** The user name of every request that came with basic auth, let in or not. */
  final List<String> offeredUsers = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ServerConnector connector;

  GitHttpServer(Path base) throws Exception {
    this.base = base;
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    GitServlet git = new GitServlet();
    git.setRepositoryResolver(new FileResolver<>(base.toFile(), true));
    git.setReceivePackFactory((req, repo) -> {
      String user = (String) req.getAttribute(USER);
      ReceivePack rp = new ReceivePack(repo);
      rp.setRefLogIdent(new PersonIdent(user, user + "@git.test"));
      return rp;
    });
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(new BasicAuth()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(git), "/git/*");
    server.setHandler(context);
    server.start();
  }

  /** Lets a token in with exactly this user name. */
  GitHttpServer allow(String user, String token) {
    tokens.put(token, user);
    return this;
  }

  /** Lets a token in with any user name. */
  GitHttpServer allowToken(String token) {
    tokens.put(token, "*");
    return this;
  }

  int port() {
    return connector.getLocalPort();
  }

  /** The host as the SDK keys tokens by. */
  String host() {
    return "127.0.0.1:" + port();
  }

  String url(String name) {
    return "http://" + host() + "/git/" + name + ".git";
  }

  /** The base URL of the served repositories: {@code url(name)} is {@code base() + "/" + name + ".git"}. */
  String base() {
    return "http://" + host() + "/git";
  }

  /** Makes an empty bare repository whose HEAD is {@code main}; the name may have folders ({@code acme/shop}). */
  Path createBare(String name) throws Exception {
    Path dir = base.resolve(name + ".git");
    Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch("main").call().close();
    return dir;
  }

  /** Opens a served repository for inspection. */
  Git open(String name) throws IOException {
    return Git.open(base.resolve(name + ".git").toFile());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class BasicAuth implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest req = (HttpServletRequest) request;
      HttpServletResponse res = (HttpServletResponse) response;
      String line = req.getMethod() + " " + req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
      String user = authenticated(req.getHeader("Authorization"));
      if (user == null) {
        requests.add(line + " anonymous 401");
        res.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
        res.sendError(401);
        return;
      }
      users.add(user);
      req.setAttribute(USER, user);
      chain.doFilter(request, response);
      requests.add(line + " " + user + " " + res.getStatus());
    }

    private String authenticated(String header) {
      if (header == null || !header.startsWith("Basic ")) {
        return null;
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return null;
      }
      String user = decoded.substring(0, colon);
      offeredUsers.add(user);
      String token = decoded.substring(colon + 1);
      String wanted = tokens.get(token);
      return wanted != null && (wanted.equals("*") || wanted.equals(user)) ? user : null;
    }
  }
}

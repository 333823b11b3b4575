package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.GitException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.StoreException;
import io.prophecy.sdk.VaultException;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.JobScheduler;
import io.prophecy.sdk.spi.PlanExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a user's secret values out of what connectors throw and return. A connector may echo a token
 * in an error (a URL with the token, a server's message); every exception and result that leaves a
 * connection passes through here, with the secrets replaced by {@code ****}. Exceptions of the SDK's own
 * tree keep their types, so that a caller can still catch a {@link NotFoundException}.
 */
final class Redaction {
  private static final String MASK = "****";
  private static final Set<Class<?>> WRAPPED =
      Set.of(FabricConnection.class, ExecutionSession.class, Execution.class, JobScheduler.class,
          PlanExecutor.PlanExecution.class);

  private final String kind;
  private final Set<String> secrets;

  Redaction(String kind, Set<String> secrets) {
    this.kind = kind;
    this.secrets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    this.secrets.addAll(secrets);
  }

  /** Adds secrets a connection obtained after it opened (a token it generated). */
  void add(java.util.Collection<String> more) {
    secrets.addAll(more);
  }

  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (!s.isEmpty()) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  boolean leaks(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      String m = x.getMessage();
      if (m != null && !scrub(m).equals(m)) {
        return true;
      }
      for (Throwable s : x.getSuppressed()) {
        if (leaks(s)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The failure with no secret in its messages. An exception of the SDK's own tree keeps its type (a
   * {@link NotFoundException} stays one, an {@link InvalidInputException} keeps its location): as it is
   * when it holds no secret, else as a copy of its nearest SDK type with the secrets masked. Anything
   * else becomes a {@link ConnectorException} that names the connector.
   */
  RuntimeException failure(Throwable e) {
    if (!leaks(e)) {
      return e instanceof ProphecyException pe ? pe
          : new ConnectorException(kind, "the connector failed: " + Engine.describe(e), e);
    }
    Throwable cause = copy(e.getCause());
    ProphecyException out = e instanceof ProphecyException pe ? masked(pe, cause)
        : new ConnectorException(kind, scrub("the connector failed: " + e.getClass().getName() + ": "
            + e.getMessage()), cause);
    out.setStackTrace(e.getStackTrace());
    for (Throwable s : e.getSuppressed()) {
      out.addSuppressed(copy(s));
    }
    return out;
  }

  /** A copy of an SDK exception, of its nearest SDK type, with the secrets in its message masked. */
  private ProphecyException masked(ProphecyException e, Throwable cause) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    ProphecyException out;
    if (e instanceof InvalidInputException ii) {
      String prefix = ii.location() + ": ";
      out = new InvalidInputException(scrub(ii.location()),
          scrub(message.startsWith(prefix) ? message.substring(prefix.length()) : message), cause);
    } else if (e instanceof GitException) {
      out = new GitException(scrub(stripKind("git", message)), cause);
    } else if (e instanceof ConnectorException ce) {
      out = new ConnectorException(ce.kind(), scrub(stripKind(ce.kind(), message)), cause);
    } else if (e instanceof NotFoundException) {
      out = withCause(new NotFoundException(scrub(message)), cause);
    } else if (e instanceof PermissionDeniedException) {
      out = withCause(new PermissionDeniedException(scrub(message)), cause);
    } else if (e instanceof ConflictException) {
      out = withCause(new ConflictException(scrub(message)), cause);
    } else if (e instanceof StoreException) {
      out = new StoreException(scrub(message), cause);
    } else if (e instanceof VaultException) {
      out = new VaultException(scrub(message), cause);
    } else {
      out = new ProphecyException(scrub(message), cause);
    }
    return out;
  }

  private static ProphecyException withCause(ProphecyException e, Throwable cause) {
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private static String stripKind(String kind, String message) {
    String prefix = "[" + kind + "] ";
    return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private Throwable copy(Throwable t) {
    if (t == null) {
      return null;
    }
    Redacted r = new Redacted(t.getClass().getName() + ": " + scrub(t.getMessage()), copy(t.getCause()));
    r.setStackTrace(t.getStackTrace());
    for (Throwable s : t.getSuppressed()) {
      r.addSuppressed(copy(s));
    }
    return r;
  }

  /** A copy of an exception from a connector, with secrets removed from its message. */
  static final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Redacted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Wraps a connection so that everything reached through it is redacted too. */
  FabricConnection wrap(FabricConnection connection) {
    return (FabricConnection) wrapValue(FabricConnection.class, connection);
  }

  /**
   * A proxy of {@code target} that implements {@code declared} and every public interface of the
   * target's own API (such as a connector's {@code DatabricksConnection}), so that a cast or
   * {@link FabricConnection#unwrap} reaches it without leaving the redaction. Whatever its methods return
   * as an interface of such an API (a session, an execution, a connector's clusters handle) is wrapped
   * the same way.
   */
  private Object wrapValue(Class<?> declared, Object target) {
    if (target == null) {
      return null;
    }
    ClassLoader loader = target.getClass().getClassLoader();
    if (loader == null || !visible(declared, loader)) {
      loader = Redaction.class.getClassLoader();
    }
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    interfaces.add(declared);
    collectInterfaces(target.getClass(), interfaces, loader);
    return Proxy.newProxyInstance(loader, interfaces.toArray(Class<?>[]::new), (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "toString" -> declared.getSimpleName() + "[" + kind + "]";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> method.invoke(target, args);
        };
      }
      if (isUnwrap(method)) {
        Class<?> type = (Class<?>) args[0];
        Objects.requireNonNull(type, "type");
        return type.isInstance(proxy) ? Optional.of(proxy) : Optional.empty();
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InterruptedException) {
          throw cause;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw failure(cause);
      }
      Class<?> rt = method.getReturnType();
      if (wrapped(rt)) {
        return wrapValue(rt, result);
      }
      if (result instanceof ExecutionResult r) {
        return scrub(r);
      }
      if (result instanceof PlanExecutor.Result r) {
        return new PlanExecutor.Result(r.status(), r.outcomes(), r.failure().map(this::scrub));
      }
      if (result instanceof PlanExecutor.Analysis a) {
        return new PlanExecutor.Analysis(a.schemas(), a.failure().map(this::scrub));
      }
      return result;
    });
  }

  private static boolean isUnwrap(Method m) {
    return m.getName().equals("unwrap") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == Class.class
        && m.getReturnType() == Optional.class;
  }

  /** The handles whose methods are redacted too: the SPI's, and any public interface of a connector's API. */
  private static boolean wrapped(Class<?> type) {
    return WRAPPED.contains(type) || type.isInterface() && Modifier.isPublic(type.getModifiers()) && !platform(type);
  }

  private static boolean platform(Class<?> type) {
    String n = type.getName();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
        || n.startsWith("scala.");
  }

  private static void collectInterfaces(Class<?> c, Set<Class<?>> out, ClassLoader loader) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        if (Modifier.isPublic(i.getModifiers()) && !platform(i) && visible(i, loader) && out.add(i)) {
          collectInterfaces(i, out, loader);
        }
      }
    }
  }

  private static boolean visible(Class<?> type, ClassLoader loader) {
    try {
      return Class.forName(type.getName(), false, loader) == type;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private PlanExecutor.Failure scrub(PlanExecutor.Failure f) {
    return new PlanExecutor.Failure(f.gem(), f.field(), scrub(f.message()), f.detail().map(this::scrub));
  }

  private ExecutionResult scrub(ExecutionResult r) {
    return ExecutionResult.builder()
        .status(r.status())
        .text(r.text().map(this::scrub))
        .tables(r.tables())
        .error(r.error().map(this::scrub))
        .errorDetail(r.errorDetail().map(this::scrub))
        .build();
  }
}

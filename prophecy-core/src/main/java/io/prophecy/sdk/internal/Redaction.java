package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.JobScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import io.prophecy.sdk.spi.PlanExecutor;
import java.util.Set;

/**
 * Keeps a user's secret values out of what connectors throw and return. A connector may echo a token
 * in an error (a URL with the token, a server's message); every exception and result that leaves a
 * connection passes through here, with the secrets replaced by {@code ****}.
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

  /** The failure as a {@link ConnectorException} whose messages hold no secret. */
  ConnectorException failure(Throwable e) {
    if (!leaks(e)) {
      return e instanceof ConnectorException ce ? ce
          : new ConnectorException(kind, "the connector failed: " + Engine.describe(e), e);
    }
    String message = e instanceof ConnectorException ? stripKind(e.getMessage()) : "the connector failed: "
        + e.getClass().getName() + ": " + e.getMessage();
    ConnectorException out = new ConnectorException(kind, scrub(message), copy(e.getCause()));
    out.setStackTrace(e.getStackTrace());
    for (Throwable s : e.getSuppressed()) {
      out.addSuppressed(copy(s));
    }
    return out;
  }

  private String stripKind(String message) {
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

  private Object wrapValue(Class<?> type, Object target) {
    if (target == null) {
      return null;
    }
    Class<?>[] interfaces = type == ExecutionSession.class && target instanceof PlanExecutor
        ? new Class<?>[] {type, PlanExecutor.class} : new Class<?>[] {type};
    return Proxy.newProxyInstance(Redaction.class.getClassLoader(), interfaces, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "toString" -> type.getSimpleName() + "[" + kind + "]";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> method.invoke(target, args);
        };
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
      if (WRAPPED.contains(rt)) {
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

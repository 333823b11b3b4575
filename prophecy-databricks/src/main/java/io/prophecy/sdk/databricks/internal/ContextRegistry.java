package io.prophecy.sdk.databricks.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution contexts one connection has open, and the JVM shutdown hook that destroys those still
 * open when the JVM stops. The hook is added when the connection opens and removed when it closes, so
 * a closed connection leaves nothing behind in the JVM.
 */
final class ContextRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ContextRegistry.class);

  /** A context on a cluster. */
  record Context(String clusterId, String contextId) {}

  private final Set<Context> open = ConcurrentHashMap.newKeySet();
  private final CommandClient commands;
  private final Platform.ShutdownHooks hooks;
  private final Thread hook;

  ContextRegistry(CommandClient commands, Platform.ShutdownHooks hooks) {
    this.commands = commands;
    this.hooks = hooks;
    this.hook = new Thread(this::destroyAll, "prophecy-databricks-contexts-" + commands.host());
    hooks.add(hook);
  }

  void add(Context c) {
    open.add(c);
  }

  /**
   * Takes a context out to destroy it; false when it is not open (already destroyed by the other party,
   * the session or the hook), so that each context is destroyed once.
   */
  boolean claim(Context c) {
    return open.remove(c);
  }

  /** Gives a claimed context back after its destroy failed, for the shutdown hook to try again. */
  void release(Context c) {
    open.add(c);
  }

  /** The contexts open now. */
  Set<Context> open() {
    return Set.copyOf(open);
  }

  /** The hook this registry added to the JVM. */
  Thread hook() {
    return hook;
  }

  /** What the shutdown hook does: destroys every context still open, each on its own. */
  void destroyAll() {
    for (Context c : List.copyOf(open)) {
      if (!claim(c)) {
        continue; // its session destroyed it meanwhile
      }
      try {
        commands.destroyContext(c.clusterId(), c.contextId());
        LOG.info("databricks: destroyed context {} on cluster {} at shutdown", c.contextId(), c.clusterId());
      } catch (RuntimeException e) {
        release(c);
        // nothing is left to throw to while the JVM stops: say which context stays open
        LOG.warn("databricks: could not destroy context {} on cluster {} at shutdown; it stays open until the"
            + " cluster restarts: {}", c.contextId(), c.clusterId(), e.getMessage());
      }
    }
  }

  /** Removes the shutdown hook; the contexts are the sessions' to destroy. */
  void close() {
    hooks.remove(hook);
  }
}

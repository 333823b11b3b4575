package io.prophecy.sdk.databricks.internal;

import java.time.Duration;

/**
 * What the connector takes from the JVM, so that tests replace it: how to sleep between polls and
 * retries, and where shutdown hooks go.
 *
 * @param sleeper sleeps between polls and before retries
 * @param shutdownHooks registers the hook that destroys contexts still open when the JVM stops
 */
public record Platform(Sleeper sleeper, ShutdownHooks shutdownHooks) {
  /** Sleeps for a while; interruptible. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Adds and removes JVM shutdown hooks. */
  public interface ShutdownHooks {
    void add(Thread hook);

    /** Removes a hook; false when the JVM is already shutting down (and so runs it). */
    boolean remove(Thread hook);
  }

  /** The real JVM: {@link Thread#sleep} and {@link java.lang.Runtime}'s hooks. */
  public static Platform system() {
    return new Platform(d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000), new ShutdownHooks() {
      @Override
      public void add(Thread hook) {
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
      }

      @Override
      public boolean remove(Thread hook) {
        try {
          return java.lang.Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          return false;
        }
      }
    });
  }
}

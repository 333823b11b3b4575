package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.spark.SparkFabricProvider;
import io.prophecy.sdk.spi.ExecutionResult.Status;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Work that runs on a session's thread under its own Spark job group, so that {@link #requestCancel()} stops
 * its jobs. Cancelling is a request: work that ends normally after it still succeeds; work that it
 * stops ends CANCELLED.
 *
 * @param <R> what the work gives
 */
abstract class SparkTask<R> implements Runnable {
  /** Thrown by {@link #checkCancelled()} between units of work. */
  static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  private final String id;
  private final String label;
  private final JobGroups groups;
  private final CompletableFuture<R> done = new CompletableFuture<>();
  private volatile Status status = Status.QUEUED;
  private volatile boolean cancelRequested;

  SparkTask(String id, String label, JobGroups groups) {
    this.id = id;
    this.label = label;
    this.groups = groups;
  }

  /** The work; runs on the session's thread inside the job group. */
  abstract R body(SparkSession spark) throws Exception;

  /** What to give when the work was cancelled. */
  abstract R cancelled();

  /** What to give when the work failed. */
  abstract R failed(Throwable error);

  /** The session the work runs in; called on the session's thread. */
  abstract SparkSession spark();

  /** The status of a result. */
  abstract Status statusOf(R result);

  final String taskId() {
    return id;
  }

  final Status currentStatus() {
    return status;
  }

  final boolean isDone() {
    return done.isDone();
  }

  @Override
  public final void run() {
    if (cancelRequested) {
      finish(cancelled());
      return;
    }
    status = Status.RUNNING;
    R result;
    SparkContext sc = null;
    try {
      SparkSession spark = spark();
      sc = spark.sparkContext();
      SparkSession.setActiveSession(spark);
      sc.setJobGroup(id, label, true);
      result = body(spark);
    } catch (VirtualMachineError e) {
      finish(failed(e));
      throw e;
    } catch (Throwable t) {
      result = cancelRequested || t instanceof Cancelled ? cancelled() : failed(t);
    } finally {
      if (sc != null) {
        sc.clearJobGroup();
      }
      SparkSession.clearActiveSession();
      groups.forget(id);
    }
    finish(result);
  }

  private void finish(R result) {
    status = statusOf(result);
    done.complete(result);
  }

  /** Asks the work to stop; returns at once. */
  final void requestCancel() {
    if (done.isDone()) {
      return;
    }
    cancelRequested = true;
    groups.cancel(id);
  }

  /** Throws {@link Cancelled} when a cancel was asked for; the work calls it between steps. */
  final void checkCancelled() {
    if (cancelRequested) {
      throw new Cancelled();
    }
  }

  final R awaitResult(Duration timeout) throws InterruptedException {
    try {
      return done.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ConnectorException(SparkFabricProvider.KIND, label + " (" + id + ") did not end within " + timeout
          + "; it is still " + status.name().toLowerCase(java.util.Locale.ROOT) + ". Wait longer or cancel it");
    } catch (ExecutionException | CancellationException e) {
      throw new IllegalStateException("a Spark task's result is never completed exceptionally", e);
    }
  }
}

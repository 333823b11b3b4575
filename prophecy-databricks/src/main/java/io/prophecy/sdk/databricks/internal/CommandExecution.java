package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command running in a context. Polls {@code commands/status} on the caller's thread, with waits of a
 * fifth of the time waited so far, at least 100 ms and at most 10 s ({@link Backoff#forCommand}), that
 * start short again when the command moves from Queued to Running. Thread-safe; once the command has ended
 * its result is kept and no more calls are made.
 */
final class CommandExecution implements Execution {
  private static final Logger LOG = LoggerFactory.getLogger(CommandExecution.class);

  private final CommandClient commands;
  private final ContextRegistry.Context context;
  private final String id;
  private final String label;
  private final Platform.Sleeper sleeper;
  private final Clock clock;
  private volatile ExecutionResult ended;
  private volatile String lastApiStatus = "Queued";

  CommandExecution(CommandClient commands, ContextRegistry.Context context, String id, String label,
      Platform.Sleeper sleeper, Clock clock) {
    this.commands = commands;
    this.context = context;
    this.id = id;
    this.label = label;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  @Override
  public String id() {
    return id;
  }

  /** Reads the status once, unless the command has already ended. */
  @Override
  public ExecutionResult.Status status() {
    ExecutionResult e = ended;
    return e != null ? e.status() : poll();
  }

  private ExecutionResult.Status poll() {
    JsonNode s = commands.commandStatus(context.clusterId(), context.contextId(), id);
    String apiStatus = s.path("status").asText("");
    ExecutionResult.Status status;
    try {
      status = Results.status(apiStatus);
    } catch (IllegalArgumentException unknown) {
      throw new ConnectorException(DatabricksFabricProvider.KIND, "command " + id + " (" + label + ") has the"
          + " status '" + apiStatus + "', which this SDK does not know; the cluster's runtime may be newer than it");
    }
    lastApiStatus = apiStatus;
    if (status.isFinal()) {
      ExecutionResult r = Results.ended(apiStatus, s.get("results"));
      ended = r;
      return r.status();
    }
    return status;
  }

  @Override
  public ExecutionResult await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    Instant deadline = clock.instant().plus(timeout);
    Backoff backoff = Backoff.forCommand(clock);
    String seen = lastApiStatus;
    while (true) {
      ExecutionResult e = ended;
      if (e != null) {
        return e;
      }
      try {
        poll();
      } catch (InterruptedCallException ie) {
        cancelAfterInterrupt();
        throw ie.asInterruptedException();
      }
      if (ended != null) {
        return ended;
      }
      if (!lastApiStatus.equals(seen)) {
        seen = lastApiStatus;
        backoff.reset();
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw new ConnectorException(DatabricksFabricProvider.KIND, "command " + id + " (" + label + ") is still "
            + lastApiStatus + " after waiting " + timeout.toMillis() + " ms; it goes on running: wait again, or"
            + " cancel it");
      }
      Duration wait = backoff.next();
      Duration left = Duration.between(now, deadline);
      try {
        sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
      } catch (InterruptedException ie) {
        cancelAfterInterrupt();
        throw ie;
      }
    }
  }

  /**
   * An interrupted wait cancels the command: the caller gave up on it. The interrupt flag is set aside
   * for the call, and a cancel that fails is logged, since the interrupt is what the caller must see.
   */
  private void cancelAfterInterrupt() {
    boolean flag = Thread.interrupted();
    try {
      commands.cancel(context.clusterId(), context.contextId(), id);
      LOG.info("databricks: cancelled command {} ({}) after the wait for it was interrupted", id, label);
    } catch (RuntimeException e) {
      LOG.warn("databricks: could not cancel command {} ({}) after an interrupted wait; it ends with its context:"
          + " {}", id, label, e.getMessage());
    } finally {
      if (flag) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Asks the cluster to cancel the command; returns without waiting. Does nothing once it has ended. */
  @Override
  public void cancel() {
    if (ended != null) {
      return;
    }
    commands.cancel(context.clusterId(), context.contextId(), id);
  }

  @Override
  public String toString() {
    return "DatabricksExecution[" + id + ", " + label + ", " + (ended != null ? ended.status() : lastApiStatus) + "]";
  }
}

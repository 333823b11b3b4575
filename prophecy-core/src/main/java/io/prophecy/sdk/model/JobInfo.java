package io.prophecy.sdk.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A job as the project's index keeps it. The fabric is stored by id ({@code fabricUID}); it has a name
 * here when it is a fabric of the project's team. The cron is kept as written: Quartz for Databricks
 * jobs, five-field for Airflow ones.
 */
@Value.Immutable
public abstract class JobInfo {
  public abstract String name();

  /** Pipeline names, in the order they run. */
  public abstract List<String> pipelines();

  /** The id of the fabric that runs the job, as stored. */
  public abstract Optional<String> fabricId();

  /** The fabric's name, when it is one of the team's fabrics. */
  public abstract Optional<String> fabric();

  public abstract Optional<String> scheduleCron();

  public abstract Optional<String> timeZone();

  public abstract Optional<String> jobSize();

  public abstract List<String> alertEmails();

  @Value.Default
  public boolean enabled() {
    return true;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableJobInfo.Builder {}
}

package io.prophecy.sdk.model;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.internal.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A job of a project: the pipelines it runs in order, the fabric it runs on, its schedule, its
 * cluster size and who is alerted.
 */
@Value.Immutable
public abstract class JobSpec {
  public abstract String name();

  /** Pipeline names, in the order they run. */
  public abstract List<String> pipelines();

  /** The name of the fabric, in the project's team, that runs the job. */
  public abstract String fabric();

  public abstract Optional<Schedule> schedule();

  /** A job-size preset of the fabric, such as {@code small}. */
  public abstract Optional<String> jobSize();

  public abstract List<String> alertEmails();

  @Value.Default
  public boolean enabled() {
    return true;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  protected void check() {
    Checks.name("job.name", name());
    Checks.name("job.fabric", fabric());
    if (pipelines().isEmpty()) {
      throw new InvalidInputException("job.pipelines", "a job runs at least one pipeline");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < pipelines().size(); i++) {
      String p = Checks.name("job.pipelines[" + i + "]", pipelines().get(i));
      if (!seen.add(p)) {
        throw new InvalidInputException("job.pipelines[" + i + "]", "pipeline '" + p + "' is listed twice");
      }
    }
    for (int i = 0; i < alertEmails().size(); i++) {
      Checks.email("job.alertEmails[" + i + "]", alertEmails().get(i));
    }
  }

  public static final class Builder extends ImmutableJobSpec.Builder {}
}

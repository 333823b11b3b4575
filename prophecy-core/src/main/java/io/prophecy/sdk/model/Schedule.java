package io.prophecy.sdk.model;

import io.prophecy.sdk.InvalidInputException;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.immutables.value.Value;

/**
 * When a job runs: a Quartz cron expression (six or seven fields, seconds first, as Databricks and
 * Prophecy store them) in a time zone, and whether the schedule is paused.
 *
 * <pre>{@code
 * Schedule nightly = Schedule.cron("0 0 2 * * ?", "UTC");   // 02:00 every day
 * }</pre>
 */
@Value.Immutable
public abstract class Schedule {
  public abstract String quartzCron();

  public abstract String timeZone();

  @Value.Default
  public boolean paused() {
    return false;
  }

  public static Schedule cron(String quartzCron, String timeZone) {
    return builder().quartzCron(quartzCron).timeZone(timeZone).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  protected void check() {
    String[] fields = quartzCron().trim().split("\\s+");
    if (fields.length < 6 || fields.length > 7) {
      throw new InvalidInputException(
          "schedule.quartzCron",
          "'" + quartzCron() + "' has " + fields.length + " fields; a Quartz cron has 6 or 7"
              + " (seconds minutes hours day-of-month month day-of-week [year]), e.g. '0 0 2 * * ?'");
    }
    for (String f : fields) {
      if (!f.matches("[0-9A-Za-z*?/,#L W-]+")) {
        throw new InvalidInputException(
            "schedule.quartzCron", "field '" + f + "' of '" + quartzCron() + "' is not a cron field");
      }
    }
    if (!"?".equals(fields[3]) && !"?".equals(fields[5])) {
      throw new InvalidInputException(
          "schedule.quartzCron",
          "'" + quartzCron() + "' sets both day-of-month and day-of-week; Quartz needs '?' in one"
              + " of them, e.g. '0 0 2 * * ?'");
    }
    try {
      ZoneId.of(timeZone());
    } catch (DateTimeException e) {
      throw new InvalidInputException(
          "schedule.timeZone", "'" + timeZone() + "' is not a time zone id such as UTC or Europe/Berlin");
    }
  }

  public static final class Builder extends ImmutableSchedule.Builder {}
}

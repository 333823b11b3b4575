package io.prophecy.sdk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Validation and string forms of the domain values. */
class ValuesTest {
  @Test
  void secretsMaskEveryStringForm() {
    Secret s = Secret.of("ghp_abcdef0123456789");
    assertThat(s.toString()).isEqualTo("Secret[****]");
    assertThat(String.valueOf(s)).doesNotContain("ghp_");
    assertThat(s).isEqualTo(Secret.of("ghp_abcdef0123456789")).isNotEqualTo(Secret.of("other"));
    assertThat(s.hashCode()).isEqualTo(Secret.of("other").hashCode());
    assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class);
    Credentials c = Credentials.builder().put("user", "alice").put("token", s).build();
    assertThat(c.toString()).isEqualTo("Credentials{token=****, user=alice}");
    assertThat(c.fields()).containsExactly("token", "user");
    assertThat(c.toBuilder().put("token", "now-plain").build().get("token")).contains("now-plain");
  }

  @Test
  void schedulesTakeQuartzCronInAValidTimeZone() {
    Schedule nightly = Schedule.cron("0 0 2 * * ?", "Europe/Berlin");
    assertThat(nightly.paused()).isFalse();
    assertThat(Schedule.cron("0 0 0 1/1 * ? *", "UTC").quartzCron()).isEqualTo("0 0 0 1/1 * ? *");
    assertThatThrownBy(() -> Schedule.cron("0 2 * * *", "UTC"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("schedule.quartzCron");
          assertThat(e.getMessage()).contains("5 fields").contains("'0 0 2 * * ?'");
        });
    assertThatThrownBy(() -> Schedule.cron("0 0 2 * * MON", "UTC")).hasMessageContaining("needs '?'");
    assertThatThrownBy(() -> Schedule.cron("0 0 2 * * ?", "Mars/Olympus"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("schedule.timeZone"));
  }

  @Test
  void jobsNameTheirBadField() {
    JobSpec ok = JobSpec.builder().name("nightly").fabric("prod").addPipelines("ingest", "report")
        .schedule(Schedule.cron("0 0 2 * * ?", "UTC")).addAlertEmails("ops@example.com").build();
    assertThat(ok.pipelines()).containsExactly("ingest", "report");
    assertThatThrownBy(() -> JobSpec.builder().name("nightly").fabric("prod").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("job.pipelines"));
    assertThatThrownBy(() -> JobSpec.builder().name("nightly").fabric("prod").addPipelines("a", "a").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("job.pipelines[1]"));
    assertThatThrownBy(() -> JobSpec.builder().name("nightly").fabric("prod").addPipelines("a").addAlertEmails("ops").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("job.alertEmails[0]"));
    assertThatThrownBy(() -> JobSpec.builder().name("night ly").fabric("prod").addPipelines("a").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.location()).isEqualTo("job.name"));
  }

  @Test
  void specsKeepOnlyTheirAbstractTypeVisible() {
    FabricSpec spec = FabricSpec.builder().kind("spark").name("dev").build();
    assertThat(spec.getClass().getSimpleName()).isEqualTo("ImmutableFabricSpec");
    assertThat(java.lang.reflect.Modifier.isPublic(spec.getClass().getModifiers())).isFalse();
    assertThat(FabricSpec.of("spark", "dev")).isEqualTo(spec);
  }
}

package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
  @Test
  void defaultsSampleEveryGemAndCountEveryGem() {
    RunOptions d = RunOptions.defaults();
    assertThat(d.interims()).isEqualTo(Interims.ALL);
    assertThat(d.sampleRows()).isEqualTo(20);
    assertThat(d.countRows()).isTrue();
    assertThat(d.timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(d.configInstance()).isEmpty();
  }

  @Test
  void rowsAreCountedWhereInterimsAreTakenUnlessSetOtherwise() {
    assertThat(RunOptions.defaults().interims(Interims.NONE).countRows()).isFalse();
    assertThat(RunOptions.defaults().interims(Interims.TARGETS).countRows()).isTrue();
    assertThat(RunOptions.defaults().interims(Interims.SOURCES).countRows()).isTrue();
    assertThat(RunOptions.defaults().interims(Interims.NONE).toString()).contains("countRows=false (from interims)");
    // a setting stays when the mode changes, either way
    RunOptions counted = RunOptions.defaults().countRows(true).interims(Interims.NONE);
    assertThat(counted.countRows()).isTrue();
    assertThat(counted.toString()).contains("countRows=true]");
    assertThat(RunOptions.defaults().interims(Interims.NONE).countRows(false).interims(Interims.ALL).countRows()).isFalse();
  }

  @Test
  void eachSettingIsACopyThatKeepsTheOthers() {
    RunOptions o = RunOptions.defaults().countRows(false).interims(Interims.NONE).sampleRows(5)
        .configInstance("prod").config("n", "1").timeout(Duration.ofMinutes(3));
    assertThat(o.countRows()).isFalse();
    assertThat(o.interims()).isEqualTo(Interims.NONE);
    assertThat(o.sampleRows()).isEqualTo(5);
    assertThat(o.configInstance()).contains("prod");
    assertThat(o.config()).containsEntry("n", "1");
    assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(o.countRows(true).countRows()).isTrue();
    assertThat(o.countRows()).isFalse();
    assertThat(o.toString()).contains("countRows=false").contains("config=[n]").doesNotContain("=1");
  }

  @Test
  void outOfRangeValuesNameTheField() {
    assertThatThrownBy(() -> RunOptions.defaults().sampleRows(0)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("runOptions.sampleRows");
    assertThatThrownBy(() -> RunOptions.defaults().timeout(Duration.ZERO)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("runOptions.timeout");
  }
}

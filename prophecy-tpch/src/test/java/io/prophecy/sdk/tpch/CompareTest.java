package io.prophecy.sdk.tpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.tpch.Engines.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison rules themselves: they accept what they should and nothing more. */
class CompareTest {
  @Test
  void decimalsAgreeOnlyWhenEqualInValue() {
    assertThat(Compare.agree(new BigDecimal("10.50"), new BigDecimal("10.5000"))).isTrue();
    assertThat(Compare.agree(new BigDecimal("10.50"), new BigDecimal("10.51"))).isFalse();
    assertThat(Compare.agree(new BigDecimal("523520040.494019"), new BigDecimal("523520040.494018"))).isFalse();
  }

  @Test
  void aDecimalAndADoubleAgreeWithinHalfTheDecimalsLastPlace() {
    assertThat(Compare.agree(new BigDecimal("25.519058"), 25.51905784458462)).isTrue();
    assertThat(Compare.agree(25.51905784458462, new BigDecimal("25.519058"))).isTrue();
    assertThat(Compare.agree(new BigDecimal("25.519057"), 25.51905784458462)).isFalse();
    assertThat(Compare.agree(new BigDecimal("25.519059"), 25.51905784458462)).isFalse();
    // the decimal's own scale sets the bound: two places allow half a cent
    assertThat(Compare.agree(new BigDecimal("25.52"), 25.51905784458462)).isTrue();
    assertThat(Compare.agree(new BigDecimal("25.53"), 25.51905784458462)).isFalse();
  }

  @Test
  void doublesAgreeWithinARelativeBillionth() {
    assertThat(Compare.agree(1_000_000.0, 1_000_000.0005)).isTrue();
    assertThat(Compare.agree(1_000_000.0, 1_000_000.01)).isFalse();
  }

  @Test
  void integersDatesAndStringsAgreeAcrossTheirJavaTypes() {
    assertThat(Compare.agree(72L, BigInteger.valueOf(72))).isTrue();
    assertThat(Compare.agree(72, 73L)).isFalse();
    assertThat(Compare.agree(java.sql.Date.valueOf("1995-03-01"), LocalDate.of(1995, 3, 1))).isTrue();
    assertThat(Compare.agree(java.sql.Date.valueOf("1995-03-01"), LocalDate.of(1995, 3, 2))).isFalse();
    assertThat(Compare.agree("MAIL", "MAIL ")).isFalse();
    assertThat(Compare.agree("1", 1)).isFalse();
    assertThat(Compare.agree(null, null)).isTrue();
    assertThat(Compare.agree(null, 0)).isFalse();
  }

  @Test
  void theSameEngineMustGiveTheSameTypesAndScales() {
    Table a = new Table(List.of("x"), List.of(List.of(new BigDecimal("1.50"))));
    Table b = new Table(List.of("x"), List.of(List.of(new BigDecimal("1.5"))));
    assertThatThrownBy(() -> Compare.sameEngine("t", a, b)).hasMessageContaining("row 0 column x");
    Table c = new Table(List.of("y"), List.of(List.of(new BigDecimal("1.50"))));
    assertThatThrownBy(() -> Compare.sameEngine("t", a, c)).hasMessageContaining("columns");
    Compare.sameEngine("t", a, new Table(List.of("x"), List.of(List.of(new BigDecimal("1.50")))));
  }
}

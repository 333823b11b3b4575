package io.prophecy.sdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.DatasetSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The validator's own readers of expression text, which stand in for regular expressions on the hot path. */
class ValidatorTextTest {
  @Test
  void anIdentifierIsALetterOrUnderscoreThenWordCharactersOptionallyInBackticks() {
    assertThat(Validator.identifier("amount", 0)).isTrue();
    assertThat(Validator.identifier("_a1", 0)).isTrue();
    assertThat(Validator.identifier("`amount`", 0)).isTrue();
    assertThat(Validator.identifier("x.amount", 2)).isTrue();
    assertThat(Validator.identifier("1a", 0)).isFalse();
    assertThat(Validator.identifier("", 0)).isFalse();
    assertThat(Validator.identifier("``", 0)).isFalse();
    assertThat(Validator.identifier("a b", 0)).isFalse();
    assertThat(Validator.identifier("a+b", 0)).isFalse();
    assertThat(Validator.identifier("upper(kind)", 0)).isFalse();
    assertThat(Validator.identifier("naïve", 0)).isFalse();
  }

  @Test
  void aQualifiedColumnIsAnInputSlugADotAndAnIdentifier() {
    assertThat(Validator.qualifiedDot("in0.id")).isEqualTo(3);
    assertThat(Validator.qualifiedDot("in12.`order id`")).isEqualTo(-1);
    assertThat(Validator.qualifiedDot("in12.`id`")).isEqualTo(4);
    assertThat(Validator.qualifiedDot("in.id")).isEqualTo(-1);
    assertThat(Validator.qualifiedDot("in1id")).isEqualTo(-1);
    assertThat(Validator.qualifiedDot("in1.")).isEqualTo(-1);
    assertThat(Validator.qualifiedDot("in1.id + 1")).isEqualTo(-1);
    assertThat(Validator.qualifiedDot("index.id")).isEqualTo(-1);
    assertThat(Validator.qualifiedDot("other.id")).isEqualTo(-1);
  }

  @Test
  void qualifiedAndBareColumnsAreCheckedAgainstTheirInputs() {
    DatasetSpec orders = DatasetSpec.builder().name("orders").format("csv").path("/o.csv")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("amount", "double")).build();
    DatasetSpec customers = DatasetSpec.builder().name("customers").format("csv").path("/c.csv")
        .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("country", "string")).build();
    DatasetLookup datasets = id -> Optional.of(DatasetLookup.nameOf(id).equals("orders") ? orders : customers);
    PipelineGraph g = PipelineGraph.of("p", p -> p
        .source("Orders", "orders").source("Customers", "customers")
        .join("J", List.of("Orders", "Customers"), j -> j.on("in1", "in0.id = in1.id", GemSpec.JoinType.INNER)
            .columns("in0.amount", "in1.`country`", "in1.region", "in2.id"))
        .reformat("R", "J", r -> r.column("a", "`amount`").column("b", "cost").column("c", "TRUE")));
    assertThat(g.validate(datasets)).extracting(Diagnostic::toString).containsExactly(
        "WARNING gem 'R' at out: output out is not connected to any gem",
        "ERROR gem 'J' at expressions[2].expression: column 'region' does not exist in the input; its columns: [id, country]",
        "ERROR gem 'J' at expressions[3].expression: refers to in2, which is not an input of this gem",
        "ERROR gem 'R' at expressions[1].expression: column 'cost' does not exist in the input; its columns: [amount, country, region, id]");
  }

  @Test
  void aColumnPassedThroughKeepsItsOwnNameWithoutQuotes() {
    assertThat(PipelineBuilder.ownName("amount")).isEqualTo("amount");
    assertThat(PipelineBuilder.ownName("in0.amount")).isEqualTo("amount");
    assertThat(PipelineBuilder.ownName(" in1.`country` ")).isEqualTo("country");
    assertThat(PipelineBuilder.ownName("`order id`")).isEqualTo("order id");
    assertThat(PipelineBuilder.ownName("in0.`a.b`")).isEqualTo("a.b");
    assertThat(PipelineBuilder.ownName("in0.`it``s`")).isEqualTo("it`s");
    assertThat(PipelineBuilder.ownName("`t`.x")).isEqualTo("x");
  }

  @Test
  void textWithoutADollarOrConfigDotIsLeftAsItIs() {
    Configuration c = PipelineGraph.of("p", p -> p.config("n", "int", "5").source("S", "s")).configuration();
    String plain = "amount > 10 AND kind = 'x'";
    assertThat(c.substitute(plain, Map.of("n", "7"))).isSameAs(plain);
    assertThat(Configuration.references(plain)).isEmpty();
    assertThat(c.substitute("amount > Config.n AND k = '$n' AND m = ${n}", Map.of("n", "7")))
        .isEqualTo("amount > 7 AND k = 7 AND m = 7");
    assertThat(Configuration.references("a = '$n' OR b = Config.m")).containsExactly("n", "m");
  }

  @Test
  void theDependencyOrderIsWorkedOutOnceAndCannotBeChanged() {
    PipelineGraph g = PipelineGraph.of("p", p -> p.source("S", "s").filter("F", "S", "true"));
    List<Gem> order = g.topologicalOrder();
    assertThat(g.topologicalOrder()).isSameAs(order).extracting(Gem::name).containsExactly("S", "F");
    assertThatThrownBy(() -> order.add(order.get(0))).isInstanceOf(UnsupportedOperationException.class);
    assertThat(g.upstream(g.gem("F")).get("in0").gem().name()).isEqualTo("S");
    assertThat(g.upstream(g.gem("S"))).isEmpty();
  }
}

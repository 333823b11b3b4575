package io.prophecy.sdk.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatementsTest {
  @Test
  void splitsAtTopLevelSemicolonsOnly() {
    assertThat(SqlStatements.split("SELECT 1; SELECT 2;")).containsExactly("SELECT 1", "SELECT 2");
    assertThat(SqlStatements.split("SELECT 'a;b', \"c;d\", `e;f` FROM t")).containsExactly("SELECT 'a;b', \"c;d\", `e;f` FROM t");
    assertThat(SqlStatements.split("SELECT 'it\\'s;' ; SELECT `a``;b`")).containsExactly("SELECT 'it\\'s;'", "SELECT `a``;b`");
  }

  @Test
  void commentsHideSemicolonsAndCommentOnlyStatementsAreDropped() {
    assertThat(SqlStatements.split("SELECT 1 -- one; two\n; /* x; /* nested; */ y; */ ; -- only a comment"))
        .containsExactly("SELECT 1 -- one; two");
    assertThat(SqlStatements.split("  ;\n ; ")).isEmpty();
    assertThat(SqlStatements.split("SELECT 1 /* trailing */")).containsExactly("SELECT 1 /* trailing */");
  }

  @Test
  void anUnclosedQuoteRunsToTheEnd() {
    assertThat(SqlStatements.split("SELECT 'open; SELECT 2")).containsExactly("SELECT 'open; SELECT 2");
  }
}

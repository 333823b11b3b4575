package io.prophecy.sdk.examples;

import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.Membership;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Role;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The quickstart: a home, two users, a shared team with roles, a project with its working copy, and
 * the audit log of it all. Run it with {@code scripts/quickstart.sh}.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) {
    Path home = Path.of(args.length > 0 ? args[0] : "target/quickstart-home");
    run(home, System.out);
  }

  /** Runs the quickstart in a fresh home, printing what it does. */
  public static void run(Path home, PrintStream out) {
    // --8<-- [start:quickstart]
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      prophecy.users().create("alice@example.com");
      prophecy.users().create("bob@example.com");

      ProphecySession alice = prophecy.as("alice@example.com");
      Team team = alice.teams().create("analytics");
      team.members().add("bob@example.com", Role.MEMBER);

      Project shop = team.projects().create(ProjectSpec.builder().name("shop")
          .description("Daily revenue by country").language(ProjectSpec.Language.PYTHON).build());
      shop.datasets().create(DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
          .putOptions("header", "true")
          .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("customer_id", "long"),
              DatasetSpec.Column.of("amount", "double"), DatasetSpec.Column.of("status", "string"))
          .build());
      shop.datasets().create(DatasetSpec.builder().name("revenue").format("parquet").path("out/revenue").build());

      // Bob sees the team and its project; he may edit projects but not manage members.
      ProphecySession bob = prophecy.as("bob@example.com");
      Team bobsView = bob.teams().get("analytics");
      out.println("Bob is a " + bobsView.myRole() + " of " + bobsView.name()
          + " and sees projects " + bobsView.projects().list().stream().map(Project::name).toList());

      for (Membership m : team.members().list()) {
        out.println("member " + m.user().email() + " " + m.role());
      }
      out.println("project " + shop.name() + " lives in " + shop.workingCopy());
      out.println("datasets " + shop.datasets().list().stream().map(d -> d.name() + " (" + d.spec().format() + ")").toList());
      out.println("fabric kinds installed: "
          + (prophecy.fabricKinds().isEmpty() ? "none yet (add a connector jar)" : prophecy.fabricKinds()));
      for (AuditEvent e : team.auditLog(10)) {
        out.println("audit " + e.actor() + " " + e.action() + " " + e.target() + " " + e.outcome());
      }
    }
    // --8<-- [end:quickstart]
    out.println("The Prophecy home is " + home.toAbsolutePath());
  }
}

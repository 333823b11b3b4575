package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.testing.Backend;
import io.prophecy.sdk.testing.TestFabricProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls every public operation of the tenancy API as a non-member, a member and an admin of a team,
 * and checks each outcome and its audit entry. The non-member holds handles from when they were a
 * member, so that every operation is reachable; a stale handle must see nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenancyContract {
  enum As { NON_MEMBER, MEMBER, ADMIN }

  /** UNAVAILABLE: a ConnectorException, here the missing code store (core's tests run without prophecy-git). */
  enum Expect { OK, NOT_FOUND, DENIED, CONFLICT, UNAVAILABLE }

  /** What an operation gets to work with, seen by the acting user. */
  record Ctx(String actor, Team team, Fabric fabric, Project project, Dataset dataset, Job job, String teamName,
      Path spareProject, Pipeline pipeline) {}

  /** One operation with its expected outcome per role; {@code action} is its audit action, or null for reads. */
  record Op(String method, String action, Function<Ctx, Object> call, Expect nonMember, Expect member, Expect admin) {
    Expect expected(As as) {
      return switch (as) {
        case NON_MEMBER -> nonMember;
        case MEMBER -> member;
        case ADMIN -> admin;
      };
    }
  }

  /** Accessors that only return what the handle holds and navigation that touches no store. */
  private static final Set<String> NOT_STORE_CALLS = Set.of(
      "Team.info", "Team.name", "Team.members", "Team.fabrics", "Team.projects",
      "Fabric.info", "Fabric.name", "Fabric.kind", "Fabric.credentials",
      "Project.info", "Project.name", "Project.workingCopy", "Project.pipelines", "Project.datasets", "Project.jobs",
      "Project.git",
      "Pipeline.info", "Pipeline.name", "Dataset.spec", "Dataset.name", "Job.info", "Job.name");

  private static final Expect OK = Expect.OK;
  private static final Expect NF = Expect.NOT_FOUND;
  private static final Expect DENIED = Expect.DENIED;

  private static final List<Op> OPS = List.of(
      // The three Teams calls are made through the actor's session in everyOperationAsEveryRole.
      new Op("Teams.get", null, null, NF, OK, OK),
      new Op("Teams.list", null, null, NF, OK, OK),
      new Op("Teams.create", "team.create", null, OK, OK, OK),
      new Op("Team.myRole", null, c -> c.team().myRole(), NF, OK, OK),
      new Op("Team.auditLog", null, c -> c.team().auditLog(10), NF, DENIED, OK),
      new Op("Team.delete", "team.delete", c -> { c.team().delete(); return null; }, NF, DENIED, Expect.CONFLICT),
      new Op("Members.list", null, c -> c.team().members().list(), NF, OK, OK),
      new Op("Members.add", "member.add", c -> c.team().members().add("newbie@example.com", Role.MEMBER), NF, DENIED, OK),
      new Op("Members.setRole", "member.role", c -> c.team().members().setRole("other@example.com", Role.ADMIN), NF, DENIED, OK),
      new Op("Members.remove", "member.remove", c -> { c.team().members().remove("other@example.com"); return null; }, NF, DENIED, OK),
      new Op("Fabrics.create", "fabric.create", c -> c.team().fabrics().create(testFabric("prod")), NF, DENIED, OK),
      new Op("Fabrics.get", null, c -> c.team().fabrics().get("dev"), NF, OK, OK),
      new Op("Fabrics.list", null, c -> c.team().fabrics().list(), NF, OK, OK),
      new Op("Fabric.connect", "credential.use", c -> connectAndCheckOwnCredentials(c), NF, OK, OK),
      new Op("Fabric.update", "fabric.update", c -> c.fabric().update(Map.of("url", "https://other.example.com")), NF, DENIED, OK),
      new Op("Fabric.delete", "fabric.delete", c -> { c.fabric().delete(); return null; }, NF, DENIED, OK),
      new Op("FabricCredentials.set", "credential.set", c -> { c.fabric().credentials().set(creds(c.actor(), "t2")); return null; }, NF, OK, OK),
      new Op("FabricCredentials.get", "credential.read", c -> ownCredentials(c), NF, OK, OK),
      new Op("FabricCredentials.isSet", null, c -> c.fabric().credentials().isSet(), NF, OK, OK),
      new Op("FabricCredentials.clear", "credential.clear", c -> c.fabric().credentials().clear(), NF, OK, OK),
      new Op("Projects.create", "project.create", c -> c.team().projects().create(ProjectSpec.of("web")), NF, OK, OK),
      new Op("Projects.get", null, c -> c.team().projects().get("shop"), NF, OK, OK),
      new Op("Projects.list", null, c -> c.team().projects().list(), NF, OK, OK),
      new Op("Project.runs", null, c -> c.project().runs(10), NF, OK, OK),
      new Op("Projects.clone", "project.clone", c -> c.team().projects().clone("cloned", "https://git.example.com/shop.git"),
          NF, Expect.UNAVAILABLE, Expect.UNAVAILABLE),
      new Op("Projects.open", "project.open", c -> c.team().projects().open("opened", c.spareProject()), NF, OK, OK),
      new Op("Pipelines.list", null, c -> c.project().pipelines().list(), NF, OK, OK),
      new Op("Pipelines.get", null, c -> c.project().pipelines().get("daily"), NF, OK, OK),
      new Op("Pipelines.create", "pipeline.create", c -> c.project().pipelines().create("weekly", p -> p
          .source("Events", "events").filter("Recent", "Events", "true")), NF, OK, OK),
      new Op("Pipeline.graph", null, c -> c.pipeline().graph(), NF, OK, OK),
      new Op("Pipeline.validate", null, c -> c.pipeline().validate(), NF, OK, OK),
      new Op("Pipeline.runs", null, c -> c.pipeline().runs(10), NF, OK, OK),
      new Op("Pipeline.sparkSql", null, c -> c.pipeline().sparkSql(), NF, OK, OK),
      new Op("Pipeline.update", "pipeline.update", c -> c.pipeline().update(io.prophecy.sdk.pipeline.PipelineGraph.of(
          "daily", p -> p.source("Events", "events").filter("Big", "Events", "true"))), NF, OK, OK),
      new Op("Pipeline.run", "pipeline.run", c -> awaitRun(c.pipeline().run(c.fabric())), NF, OK, OK),
      new Op("Pipeline.delete", "pipeline.delete", c -> { c.pipeline().delete(); return null; }, NF, OK, OK),
      new Op("Datasets.create", "dataset.create", c -> c.project().datasets().create(dataset("customers")), NF, OK, OK),
      new Op("Datasets.get", null, c -> c.project().datasets().get("orders"), NF, OK, OK),
      new Op("Datasets.list", null, c -> c.project().datasets().list(), NF, OK, OK),
      new Op("Dataset.specFor", null, c -> c.dataset().specFor(c.fabric()), NF, OK, OK),
      new Op("Dataset.putForFabric", "dataset.update", c -> c.dataset().putForFabric(c.fabric(),
          io.prophecy.sdk.model.DatasetSpec.builder().name(c.dataset().name()).format("parquet").path("data/" + c.dataset().name()).build()),
          NF, OK, OK),
      new Op("Dataset.delete", "dataset.delete", c -> { c.dataset().delete(); return null; }, NF, OK, OK),
      new Op("Jobs.create", "job.create", c -> c.project().jobs().create(job("weekly")), NF, OK, OK),
      new Op("Jobs.get", null, c -> c.project().jobs().get("nightly"), NF, OK, OK),
      new Op("Jobs.list", null, c -> c.project().jobs().list(), NF, OK, OK),
      new Op("Job.delete", "job.delete", c -> { c.job().delete(); return null; }, NF, OK, OK),
      new Op("Project.delete", "project.delete", c -> { c.project().delete(); return null; }, NF, DENIED, OK));

  @TempDir static Path home;
  private Prophecy prophecy;
  private final TestFabricProvider provider = new TestFabricProvider();
  private final AtomicInteger teams = new AtomicInteger();

  abstract Backend backend();

  @BeforeAll
  void open() {
    prophecy = backend().builder(home).register(provider).build();
    for (String u : List.of("admin", "member", "outsider", "other", "newbie")) {
      prophecy.users().create(u + "@example.com");
    }
  }

  @AfterAll
  void close() {
    prophecy.close();
  }

  static FabricSpec testFabric(String name) {
    return FabricSpec.builder().kind("test").name(name).putSettings("url", "https://engine.example.com").build();
  }

  static io.prophecy.sdk.model.DatasetSpec dataset(String name) {
    return io.prophecy.sdk.model.DatasetSpec.builder().name(name).format("csv").path("data/" + name + ".csv").build();
  }

  static io.prophecy.sdk.model.JobSpec job(String name) {
    return io.prophecy.sdk.model.JobSpec.builder().name(name).fabric("dev").addPipelines("daily").build();
  }

  static Credentials creds(String user, String tokenSuffix) {
    return Credentials.builder().put("username", user).put("token", Secret.of("tok-" + user + "-" + tokenSuffix)).build();
  }

  private static Object ownCredentials(Ctx c) {
    Credentials got = c.fabric().credentials().get().orElseThrow();
    assertThat(got.get("username")).contains(c.actor());
    return got;
  }

  private static Object awaitRun(Run run) {
    try {
      return run.await().status();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object connectAndCheckOwnCredentials(Ctx c) {
    try (var conn = c.fabric().connect()) {
      return conn.kind();
    }
  }

  /** Makes a team with an admin, a member, the outsider (removed later for NON_MEMBER), another member, a fabric and a project. */
  private Ctx fixture(As as) {
    String teamName = "team" + teams.incrementAndGet();
    ProphecySession admin = prophecy.as("admin@example.com");
    Team t = admin.teams().create(teamName);
    t.members().add("member@example.com", Role.MEMBER);
    t.members().add("outsider@example.com", Role.MEMBER);
    t.members().add("other@example.com", Role.MEMBER);
    t.fabrics().create(testFabric("dev"));
    Project shop = t.projects().create("shop");
    shop.datasets().create(dataset("orders"));
    shop.datasets().create(dataset("events"));
    shop.pipelines().create("daily", p -> p.source("Events", "events").filter("Recent", "Events", "true"));
    shop.jobs().create(job("nightly"));
    Path spare = ProjectFixtures.minimalProject(home.resolve("spare-" + teamName), "spare");
    String actor = switch (as) {
      case NON_MEMBER -> "outsider@example.com";
      case MEMBER -> "member@example.com";
      case ADMIN -> "admin@example.com";
    };
    for (String u : List.of("admin@example.com", "member@example.com", "outsider@example.com")) {
      prophecy.as(u).teams().get(teamName).fabrics().get("dev").credentials().set(creds(u, "t1"));
    }
    Team mine = prophecy.as(actor).teams().get(teamName);
    Project project = mine.projects().get("shop");
    Ctx ctx = new Ctx(actor, mine, mine.fabrics().get("dev"), project, project.datasets().get("orders"),
        project.jobs().get("nightly"), teamName, spare, project.pipelines().get("daily"));
    if (as == As.NON_MEMBER) {
      t.members().remove("outsider@example.com");
    }
    return ctx;
  }

  @Test
  void everyOperationAsEveryRole() {
    Map<String, String> failures = new LinkedHashMap<>();
    int checked = 0;
    for (Op op : OPS) {
      for (As as : As.values()) {
        Ctx ctx = fixture(as);
        Expect expected = op.expected(as);
        long before = prophecy.auditLog(1).get(0).sequence();
        Expect got;
        Object result = null;
        try {
          result = switch (op.method()) {
            case "Teams.get" -> prophecy.as(ctx.actor()).teams().get(ctx.teamName()).name();
            case "Teams.list" -> {
              boolean listed = prophecy.as(ctx.actor()).teams().list().stream().anyMatch(t -> t.name().equals(ctx.teamName()));
              if (!listed) {
                throw new NotFoundException("not listed");
              }
              yield listed;
            }
            case "Teams.create" -> prophecy.as(ctx.actor()).teams().create(ctx.teamName() + "-new-" + as).name();
            default -> op.call().apply(ctx);
          };
          got = Expect.OK;
        } catch (NotFoundException e) {
          got = Expect.NOT_FOUND;
          assertThat(e.getMessage()).as(op.method() + " as " + as).doesNotContain("tok-");
        } catch (PermissionDeniedException e) {
          got = Expect.DENIED;
          assertThat(e.getMessage()).contains("ADMIN");
        } catch (ConflictException e) {
          got = Expect.CONFLICT;
        } catch (ConnectorException e) {
          got = Expect.UNAVAILABLE;
          assertThat(e.getMessage()).contains("prophecy-git");
        }
        checked++;
        if (got != expected) {
          failures.put(op.method() + " as " + as, "expected " + expected + " but was " + got + " (" + result + ")");
          continue;
        }
        if (op.action() != null) {
          List<AuditEvent> events = prophecy.auditLog(50).stream()
              .filter(e -> e.sequence() > before && e.action().equals(op.action()) && e.actor().equals(ctx.actor()))
              .toList();
          AuditEvent.Outcome want = switch (expected) {
            case OK -> AuditEvent.Outcome.SUCCESS;
            case NOT_FOUND, DENIED -> AuditEvent.Outcome.DENIED;
            case CONFLICT, UNAVAILABLE -> AuditEvent.Outcome.FAILED;
          };
          if (events.size() != 1 || events.get(0).outcome() != want) {
            failures.put(op.method() + " as " + as + " (audit)", "expected one " + op.action() + " " + want + ", got " + events);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(checked).isEqualTo(OPS.size() * 3);
  }

  @Test
  void theTableCoversEveryPublicOperation() {
    Set<String> covered = new TreeSet<>();
    OPS.forEach(op -> covered.add(op.method()));
    Set<String> missing = new TreeSet<>();
    for (Class<?> api : List.of(Teams.class, Team.class, Members.class, Fabrics.class, Fabric.class,
        FabricCredentials.class, Projects.class, Project.class, Pipelines.class, Pipeline.class)) {
      for (Method m : api.getMethods()) {
        if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String name = api.getSimpleName() + "." + m.getName();
        if (!covered.contains(name) && !NOT_STORE_CALLS.contains(name)) {
          missing.add(name);
        }
      }
    }
    assertThat(missing).as("public operations without a row in the tenancy table").isEmpty();
  }

  @Test
  void connectUsesTheActorsOwnCredentialsAndAdminsCannotReadOthers() {
    Ctx asMember = fixture(As.MEMBER);
    provider.connections.clear();
    try (var c = asMember.fabric().connect()) {
      assertThat(c.kind()).isEqualTo("test");
    }
    assertThat(provider.connections).singleElement()
        .satisfies(conn -> {
          assertThat(conn.credentials().get("username")).contains("member@example.com");
          assertThat(conn.credentials().secret("token").orElseThrow().reveal()).isEqualTo("tok-member@example.com-t1");
          assertThat(conn.context().userEmail()).isEqualTo("member@example.com");
        });
    // The admin's handle to the same fabric reads the admin's credentials, never the member's.
    Fabric adminView = prophecy.as("admin@example.com").teams().get(asMember.teamName()).fabrics().get("dev");
    assertThat(adminView.credentials().get().orElseThrow().get("username")).contains("admin@example.com");
    adminView.credentials().clear();
    assertThat(adminView.credentials().isSet()).isFalse();
    assertThat(asMember.fabric().credentials().isSet()).isTrue();
  }

  @Test
  void aNonMemberGetsTheSameAnswerForAMissingTeamAsForAnotherTeam() {
    Ctx ctx = fixture(As.ADMIN);
    ProphecySession outsider = prophecy.as("newbie@example.com");
    String existing = messageOf(() -> outsider.teams().get(ctx.teamName()));
    String missing = messageOf(() -> outsider.teams().get("no-such-team"));
    assertThat(existing.replace(ctx.teamName(), "X")).isEqualTo(missing.replace("no-such-team", "X"));
  }

  @Test
  void removingAMemberDeletesTheirCredentialsForTheTeamsFabrics() {
    Ctx ctx = fixture(As.MEMBER);
    Team adminTeam = prophecy.as("admin@example.com").teams().get(ctx.teamName());
    adminTeam.members().remove("member@example.com");
    adminTeam.members().add("member@example.com", Role.MEMBER);
    Fabric again = prophecy.as("member@example.com").teams().get(ctx.teamName()).fabrics().get("dev");
    assertThat(again.credentials().isSet()).isFalse();
  }

  @Test
  void theLastAdminStaysAndAnEmptySharedTeamCanBeDeleted() {
    ProphecySession admin = prophecy.as("admin@example.com");
    Team t = admin.teams().create("short-lived");
    assertThatThrownBy(() -> t.members().setRole("admin@example.com", Role.MEMBER))
        .isInstanceOf(ConflictException.class).hasMessageContaining("last admin");
    assertThatThrownBy(() -> t.members().remove("admin@example.com"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("last admin");
    t.delete();
    assertThatThrownBy(() -> admin.teams().get("short-lived")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(t::myRole).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.personalTeam().delete()).isInstanceOf(ConflictException.class)
        .hasMessageContaining("personal team");
    assertThatThrownBy(() -> admin.personalTeam().members().add("member@example.com", Role.MEMBER))
        .isInstanceOf(ConflictException.class).hasMessageContaining("personal team");
  }

  private static String messageOf(Runnable r) {
    try {
      r.run();
    } catch (ProphecyException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an exception");
  }
}

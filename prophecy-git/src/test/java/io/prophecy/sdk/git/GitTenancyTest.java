package io.prophecy.sdk.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.ProjectGit;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of {@link ProjectGit} as a non-member (holding a handle from when they were a
 * member), a member and an admin of the project's team: members and admins may use all of it, a
 * non-member sees nothing; each change is audited with its outcome. Remotes here are local bare
 * repositories.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitTenancyTest {
  enum As { NON_MEMBER, MEMBER, ADMIN }

  record Op(String method, String action, Function<Project, Object> call) {}

  /** Accessors that only return what the handle holds. */
  private static final Set<String> NOT_STORE_CALLS = Set.of("defaultBranch");

  private static final List<Op> OPS = List.of(
      new Op("currentBranch", null, p -> p.git().currentBranch()),
      new Op("branches", null, p -> p.git().branches()),
      new Op("tags", null, p -> p.git().tags()),
      new Op("status", null, p -> p.git().status()),
      new Op("diff", null, p -> p.git().diff("main", "other")),
      new Op("log", null, p -> p.git().log(5)),
      new Op("remote", null, p -> p.git().remote()),
      new Op("createBranch", "git.branch", p -> { p.git().createBranch("topic", Optional.of("main")); return null; }),
      new Op("checkout", "git.checkout", p -> { p.git().checkout("other"); return null; }),
      new Op("commit", "git.commit", p -> {
        try {
          Files.writeString(p.workingCopy().resolve("notes.md"), "a note\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return p.git().commit("Notes");
      }),
      new Op("merge", "git.merge", p -> p.git().merge("other")),
      new Op("pull", "git.pull", p -> p.git().pull()),
      new Op("push", "git.push", p -> { p.git().push(); return null; }),
      new Op("release", "git.release", p -> p.git().release()));

  @TempDir static Path tmp;
  private Prophecy prophecy;
  private final AtomicInteger teams = new AtomicInteger();

  @BeforeAll
  void open() {
    prophecy = Prophecy.builder().home(tmp.resolve("home")).build();
    for (String u : List.of("admin", "member", "outsider")) {
      prophecy.users().create(u + "@example.com");
    }
  }

  @AfterAll
  void close() {
    prophecy.close();
  }

  /** A team with a project whose remote is a local bare repository, and a branch 'other' one commit ahead. */
  private Project fixture(As as) throws Exception {
    String name = "team" + teams.incrementAndGet();
    Team t = prophecy.as("admin@example.com").teams().create(name);
    t.members().add("member@example.com", Role.MEMBER);
    t.members().add("outsider@example.com", Role.MEMBER);
    Path bare = tmp.resolve("remotes/" + name + ".git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    Project p = t.projects().create(ProjectSpec.builder().name("shop").gitRemote(bare.toString()).build());
    p.git().push();
    p.git().createBranch("other");
    p.git().checkout("other");
    p.datasets().create(io.prophecy.sdk.model.DatasetSpec.builder().name("orders").format("csv").path("o.csv").build());
    p.git().commit("Orders");
    p.git().checkout("main");
    String actor = switch (as) {
      case NON_MEMBER -> "outsider@example.com";
      case MEMBER -> "member@example.com";
      case ADMIN -> "admin@example.com";
    };
    Project mine = prophecy.as(actor).teams().get(name).projects().get("shop");
    if (as == As.NON_MEMBER) {
      t.members().remove("outsider@example.com");
    }
    return mine;
  }

  @Test
  void everyGitOperationAsEveryRole() throws Exception {
    Map<String, String> failures = new LinkedHashMap<>();
    for (Op op : OPS) {
      for (As as : As.values()) {
        Project project = fixture(as);
        String actor = switch (as) {
          case NON_MEMBER -> "outsider@example.com";
          case MEMBER -> "member@example.com";
          case ADMIN -> "admin@example.com";
        };
        long before = prophecy.auditLog(1).get(0).sequence();
        String got;
        try {
          op.call().apply(project);
          got = "OK";
        } catch (NotFoundException e) {
          got = "NOT_FOUND";
          assertThat(e.getMessage()).doesNotContain("shop.git");
        } catch (PermissionDeniedException e) {
          got = "DENIED";
        }
        String want = as == As.NON_MEMBER ? "NOT_FOUND" : "OK";
        if (!got.equals(want)) {
          failures.put(op.method() + " as " + as, "expected " + want + " but was " + got);
          continue;
        }
        if (op.action() != null) {
          List<AuditEvent> events = prophecy.auditLog(50).stream()
              .filter(e -> e.sequence() > before && e.action().equals(op.action()) && e.actor().equals(actor)).toList();
          AuditEvent.Outcome outcome = as == As.NON_MEMBER ? AuditEvent.Outcome.DENIED : AuditEvent.Outcome.SUCCESS;
          if (events.size() != 1 || events.get(0).outcome() != outcome) {
            failures.put(op.method() + " as " + as + " (audit)", "expected one " + op.action() + " " + outcome + ", got " + events);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void theTableCoversEveryGitOperation() {
    Set<String> covered = new TreeSet<>();
    OPS.forEach(op -> covered.add(op.method()));
    Set<String> missing = new TreeSet<>();
    for (Method m : ProjectGit.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !covered.contains(m.getName()) && !NOT_STORE_CALLS.contains(m.getName())) {
        missing.add(m.getName());
      }
    }
    assertThat(missing).as("ProjectGit operations without a row in the tenancy table").isEmpty();
  }

  @Test
  void theCommitsOfEachMemberAreTheirOwn() throws Exception {
    Project asMember = fixture(As.MEMBER);
    Files.writeString(asMember.workingCopy().resolve("notes.md"), "by the member\n");
    assertThat(asMember.git().commit("Member's note").authorEmail()).isEqualTo("member@example.com");
    assertThat(asMember.git().log(5)).extracting(c -> c.authorEmail())
        .containsExactly("member@example.com", "admin@example.com");
  }
}

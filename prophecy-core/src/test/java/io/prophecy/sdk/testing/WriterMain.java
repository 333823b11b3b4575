package io.prophecy.sdk.testing;

import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import java.nio.file.Path;

/**
 * A second JVM for the multi-process tests: opens a home and writes users, teams and projects,
 * printing {@code committed <email>} after each commit. Arguments: home, prefix, count (0 = until
 * killed).
 */
public final class WriterMain {
  private WriterMain() {}

  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    String prefix = args[1];
    long count = Long.parseLong(args[2]);
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      System.out.println("ready");
      System.out.flush();
      for (long i = 0; count == 0 || i < count; i++) {
        String email = prefix + "-" + i + "@example.com";
        prophecy.users().create(email);
        ProphecySession s = prophecy.as(email);
        Team t = s.teams().create(prefix + "-team-" + i);
        t.projects().create("p" + i);
        System.out.println("committed " + email);
        System.out.flush();
      }
      System.out.println("done");
    }
  }
}

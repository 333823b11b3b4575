package io.prophecy.sdk.internal.project;

import java.util.List;

/** The one region in which two texts differ, by lines: what was there before and what is there now. */
record TextDiff(int line, List<String> removed, List<String> added) {
  static TextDiff of(String before, String after) {
    List<String> a = List.of(before.split("\n", -1));
    List<String> b = List.of(after.split("\n", -1));
    int start = 0;
    while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
      start++;
    }
    int endA = a.size();
    int endB = b.size();
    while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
      endA--;
      endB--;
    }
    return new TextDiff(start + 1, a.subList(start, endA), b.subList(start, endB));
  }

  boolean none() {
    return removed.isEmpty() && added.isEmpty();
  }
}

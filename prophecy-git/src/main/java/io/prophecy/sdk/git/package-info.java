/**
 * Projects in Git working copies through JGit: {@link io.prophecy.sdk.git.JGitCodeStore}, the code store
 * of kind {@code git}, found by {@link java.util.ServiceLoader}. Users reach it through
 * {@code project.git()} and {@code projects().clone(...)} of prophecy-core; nothing here needs to be
 * called directly unless a host registers Enterprise or self-hosted Git hosts
 * ({@code new JGitCodeStore().withHost(ProviderKind.GITHUB, "https://github.acme.example")}, given to
 * {@code Prophecy.builder().codeStore(...)}) or a user-name convention of its own.
 */
package io.prophecy.sdk.git;

/** The JGit working copy and the mapping of JGit's failures to the SDK's exceptions; not API. */
package io.prophecy.sdk.git.internal;

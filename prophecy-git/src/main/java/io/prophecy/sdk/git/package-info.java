/** Projects in Git working copies through JGit, and the conventions of Git hosting providers. */
package io.prophecy.sdk.git;

/** The built-in tracker adapters other than memory: a directory of Markdown issues, and GitHub's REST wire. */
@NullMarked
package dev.orchestra4j.runner.internal.tracker;

import org.jspecify.annotations.NullMarked;

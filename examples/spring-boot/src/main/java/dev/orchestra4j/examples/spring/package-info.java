/**
 * A Spring Boot application on the Orchestra4j starter: three agents are plain beans, a writer is an {@code LlmAgent}
 * declared in {@code application.yml}, the topology lives in {@code application.yml} too, and {@code POST /reports}
 * runs a session through the auto-configured {@code OrchestraInstance}.
 */
@NullMarked
package dev.orchestra4j.examples.spring;

import org.jspecify.annotations.NullMarked;

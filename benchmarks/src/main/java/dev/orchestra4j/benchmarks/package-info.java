/**
 * JMH benchmarks that put Orchestra4j's coordination overhead next to raw virtual-thread baselines and its
 * peers (LangGraph4j, LangChain4j-agentic), all running the same no-op workloads defined in {@link
 * dev.orchestra4j.benchmarks.Workloads}. Sub-packages hold one family each: {@code baseline} (plain JDK
 * threads and queues), {@code langgraph4j} and {@code agentic} (the peers). Orchestra4j's own benchmarks go
 * in a sibling {@code orchestra4j} package and reuse the same workload constants, so every row in
 * BENCHMARKS.md measures identical work. Run them with {@code benchmarks/run.sh}.
 */
@NullMarked
package dev.orchestra4j.benchmarks;

import org.jspecify.annotations.NullMarked;

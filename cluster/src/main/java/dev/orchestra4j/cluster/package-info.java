/**
 * Orchestra4j sessions spread over many worker JVMs that share one PostgreSQL database. {@link
 * dev.orchestra4j.cluster.OrchestraCluster} submits, answers, pauses, resumes and cancels sessions from any node;
 * <a href="https://github.com/kagkarlsson/db-scheduler">db-scheduler</a> decides which worker runs a session, keeps
 * its lease with heartbeats, and revives the sessions of a worker that died; the session journal's sequence number
 * fences out a stale owner. A session waiting for its user holds no row, no thread and no lease anywhere.
 */
@NullMarked
package dev.orchestra4j.cluster;

import org.jspecify.annotations.NullMarked;

/**
 * The cluster's machinery: the table names and their DDL, the durable inbox, the PostgreSQL notification listener,
 * the local leases, the leg runner that db-scheduler calls for each picked session, and the worker launcher.
 */
@NullMarked
package dev.orchestra4j.cluster.internal;

import org.jspecify.annotations.NullMarked;

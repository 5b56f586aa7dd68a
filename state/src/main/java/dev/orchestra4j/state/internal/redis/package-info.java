/**
 * The Redis {@link dev.orchestra4j.state.StorageBackend} on Lettuce: each key is a hash ({@code value},
 * {@code version}, {@code updated} in epoch microseconds) under a namespace prefix. Writes, compare-and-set
 * and conditional expiry are Lua scripts run with {@code EVAL}, so each is atomic on the server. A key's
 * journal is a list of checksummed entries plus a head hash (base, last sequence, last append), changed only by
 * scripts. Listing and expiry read the namespace's {@link dev.orchestra4j.state.internal.redis.KeyIndex} (sorted
 * sets the same scripts keep), never {@code SCAN} the database, except once per namespace to index the keys an
 * earlier version wrote.
 */
@NullMarked
package dev.orchestra4j.state.internal.redis;

import org.jspecify.annotations.NullMarked;

/**
 * The compilers behind the flow front ends: the payload frame every compiled node reads and writes, the node agents,
 * strict Liquid templates and CEL conditions. Not API.
 */
@NullMarked
package dev.orchestra4j.flow.internal;

import org.jspecify.annotations.NullMarked;

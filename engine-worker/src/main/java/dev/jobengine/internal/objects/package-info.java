/**
 * Handles of master-hosted shared objects, one implementation for the master and the workers: a
 * handle turns each call into an {@link dev.jobengine.internal.objects.ObjectAccess} invocation,
 * which the master serves directly and a worker sends over gRPC. No compatibility promise.
 */
package dev.jobengine.internal.objects;

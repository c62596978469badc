/**
 * Translation between engine-api values and the wire (payloads, failures, auth, transports), used
 * by both the master and the workers. No compatibility promise.
 */
package dev.jobengine.internal.wire;

/** The worker JVM's internals. No compatibility promise. */
package dev.jobengine.worker.internal;

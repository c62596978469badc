/** The embedded master's internals. No compatibility promise: anything here may change. */
package dev.jobengine.master.internal;

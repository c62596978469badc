/**
 * Internal classes shared by the master and the workers. No compatibility promise: anything here
 * may change in any release.
 */
package dev.jobengine.internal;

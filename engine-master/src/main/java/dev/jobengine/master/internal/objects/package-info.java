/** Master-hosted shared-object state: plain Java, no gRPC. No compatibility promise. */
package dev.jobengine.master.internal.objects;

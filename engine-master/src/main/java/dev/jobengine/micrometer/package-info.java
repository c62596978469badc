/**
 * jobengine's metrics for Micrometer: {@link dev.jobengine.micrometer.JobEngineMetrics}, a {@code
 * MeterBinder}. Micrometer is an optional dependency of {@code engine-master}: an application that
 * does not use this package needs no Micrometer on its class path.
 */
package dev.jobengine.micrometer;

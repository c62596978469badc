package dev.jobengine.master.internal.hub;

import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import io.grpc.stub.StreamObserver;

/** What the hub tells the owner of a worker about that worker's stream. */
public interface WorkerEndpoint {
  /** The worker said hello; {@code out} is its stream. */
  void connected(Hello hello, StreamObserver<MasterMessage> out);

  /** A message came from the worker (any kind, a pong included): it is alive. */
  void heard();

  void results(ResultBatch batch);

  /** The worker gave back tasks it had not started. */
  void revoked(Revoked revoked);

  /** The stream ended, normally ({@code cause} null) or not. */
  void disconnected(Throwable cause);
}

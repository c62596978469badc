package dev.jobengine.master.internal;

import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import io.grpc.stub.StreamObserver;

/** What the hub tells the owner of a worker about that worker's stream. */
interface WorkerEndpoint {
  /** The worker said hello; {@code out} is its stream. */
  void connected(Hello hello, StreamObserver<MasterMessage> out);

  void results(ResultBatch batch);

  /** The stream ended, normally ({@code cause} null) or not. */
  void disconnected(Throwable cause);
}

package io.wagate.cli.connection;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * A channel that sends the caller's declared name ({@code --client}, env {@code WAGATE_CLIENT}) in
 * the {@value #HEADER} header of every call; the lifecycle is the wrapped channel's.
 */
final class ClientNameChannel extends ManagedChannel {
  /** The metadata header the appliance reads the client's name from. */
  static final String HEADER = "wagate-client";

  private final ManagedChannel delegate;
  private final Channel named;

  ClientNameChannel(ManagedChannel delegate, String client) {
    this.delegate = delegate;
    Metadata md = new Metadata();
    md.put(Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER), client);
    this.named = ClientInterceptors.intercept(delegate, MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return named.newCall(method, options);
  }

  @Override
  public String authority() {
    return delegate.authority();
  }

  @Override
  public ManagedChannel shutdown() {
    delegate.shutdown();
    return this;
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public ManagedChannel shutdownNow() {
    delegate.shutdownNow();
    return this;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}

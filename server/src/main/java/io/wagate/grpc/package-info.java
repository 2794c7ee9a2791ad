/** gRPC service implementations, interceptors, and the one mapping from exceptions to gRPC status. */
package io.wagate.grpc;

package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The gRPC listener internal services call.
 *
 * @param listenAddress            address to bind; loopback unless TLS is configured
 * @param port                     0 picks a free port (printed at start)
 * @param reflection               serve gRPC server reflection (off by default)
 * @param maxInboundMessageBytes   larger requests are refused with RESOURCE_EXHAUSTED
 * @param tlsCertFile              PEM certificate chain; with {@code tlsKeyFile} turns TLS on
 * @param tlsKeyFile               PEM private key (PKCS#8)
 * @param allowPlaintext           accept plaintext on a non-loopback address (not recommended)
 */
public record GrpcConfig(
        String listenAddress,
        Integer port,
        Boolean reflection,
        Integer maxInboundMessageBytes,
        Path tlsCertFile,
        Path tlsKeyFile,
        Boolean allowPlaintext) {

    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 7400;
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 1024 * 1024;

    public GrpcConfig {
        listenAddress = listenAddress == null ? DEFAULT_LISTEN_ADDRESS : listenAddress;
        port = port == null ? DEFAULT_PORT : port;
        reflection = reflection != null && reflection;
        maxInboundMessageBytes = maxInboundMessageBytes == null
                ? DEFAULT_MAX_INBOUND_MESSAGE_BYTES : maxInboundMessageBytes;
        allowPlaintext = allowPlaintext != null && allowPlaintext;
        check(port >= 0 && port <= 65535, "grpc.port", "must be between 0 and 65535", port);
        check(maxInboundMessageBytes >= 64 * 1024, "grpc.max_inbound_message_bytes", "must be >= 65536",
                maxInboundMessageBytes);
        check((tlsCertFile == null) == (tlsKeyFile == null), "grpc.tls_cert_file",
                "and grpc.tls_key_file must be set together", tlsCertFile == null ? "only the key" : "only the cert");
        // fields are assigned only after this constructor: use the parameters, not the accessors
        check(tlsCertFile != null || allowPlaintext || isLoopback(listenAddress), "grpc.listen_address",
                "is not a loopback address, so TLS is required (set grpc.tls_cert_file and grpc.tls_key_file,"
                        + " or grpc.allow_plaintext: true to accept the risk)", listenAddress);
    }

    public static GrpcConfig defaults() {
        return new GrpcConfig(null, null, null, null, null, null, null);
    }

    /** Loopback-only listener on the given port (sandbox, tests). */
    public static GrpcConfig loopback(int port) {
        return new GrpcConfig(DEFAULT_LISTEN_ADDRESS, port, true, null, null, null, null);
    }

    public boolean tlsEnabled() {
        return tlsCertFile != null;
    }

    public boolean isLoopback() {
        return isLoopback(listenAddress);
    }

    private static boolean isLoopback(String listenAddress) {
        try {
            return InetAddress.getByName(listenAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("grpc.listen_address '" + listenAddress + "' does not resolve", e);
        }
    }
}

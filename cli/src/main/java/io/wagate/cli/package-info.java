/**
 * {@code wagatectl}, the operator's and developer's command line for Wagate: the command tree, the
 * one mapping from gRPC status to exit code, and error reporting. It speaks gRPC only and never
 * opens the appliance's database.
 */
package io.wagate.cli;

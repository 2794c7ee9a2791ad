/** How {@code wagatectl} reaches Wagate: connection options, targets, TLS, and the channel factory tests replace. */
package io.wagate.cli.connection;

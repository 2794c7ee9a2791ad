/** The appliance's master key: loading it from a key file or a passphrase, and using it to wrap other keys. */
package io.wagate.security;

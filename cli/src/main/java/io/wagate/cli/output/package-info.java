/** How {@code wagatectl} prints: aligned tables and key/value views for people, JSON for scripts. */
package io.wagate.cli.output;

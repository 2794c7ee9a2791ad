/** The {@code wagatectl} commands that talk to Wagate's API: {@code status}, {@code send}, {@code messages}. */
package io.wagate.cli.commands;

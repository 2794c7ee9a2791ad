/** The {@code wagatectl} commands that talk to Wagate's API: {@code status}, {@code numbers}, {@code send}, {@code messages}, {@code events}. */
package io.wagate.cli.commands;

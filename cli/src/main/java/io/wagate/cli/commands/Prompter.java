package io.wagate.cli.commands;

import java.io.Console;
import java.util.Locale;

/**
 * Asks the operator to confirm a change, when there is an operator to ask. Commands that change
 * shared state ({@code events rewind}) ask unless given {@code --yes}, and refuse without
 * {@code --yes} when nobody can answer (a script, a pipe).
 */
public interface Prompter {

  /** True when someone can answer: stdin and stdout are a terminal. */
  boolean interactive();

  /**
   * Asks {@code question}; only {@code y} or {@code yes} (any case) confirm.
   *
   * @return false for any other answer and at end of input
   */
  boolean confirm(String question);

  /** The process's terminal ({@link System#console()}); not interactive when there is none. */
  static Prompter console() {
    return new SystemConsole();
  }

  /** {@link #console()}: reads the answer from the terminal, not from redirected stdin. */
  final class SystemConsole implements Prompter {

    @Override
    public boolean interactive() {
      return System.console() != null;
    }

    @Override
    public boolean confirm(String question) {
      Console c = System.console();
      if (c == null) {
        return false;
      }
      String answer = c.readLine("%s [y/N] ", question);
      return answer != null && isYes(answer);
    }
  }

  /** True for {@code y} and {@code yes} in any case, surrounding blanks ignored. */
  static boolean isYes(String answer) {
    String a = answer.trim().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}

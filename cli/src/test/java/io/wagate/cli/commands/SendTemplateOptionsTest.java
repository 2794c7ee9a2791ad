package io.wagate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.cli.CliRun;
import io.wagate.cli.Wagatectl;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Template parameters of every place (header, body, buttons) and fallback templates on {@code send}. */
class SendTemplateOptionsTest {

  private static SendRequest send(String... content) {
    String[] args = new String[4 + content.length];
    args[0] = "send";
    args[1] = "--from";
    args[2] = "support";
    args[3] = "--to=+15550001111";
    System.arraycopy(content, 0, args, 4, content.length);
    CommandLine cl = new Wagatectl(CliRun.NO_CHANNELS, Clock.systemUTC()).commandLine();
    return ((SendCommand) cl.parseArgs(args).subcommand().commandSpec().userObject()).request();
  }

  @Test
  void headerBodyAndButtons() {
    SendRequest r = send("--template", "promo", "--language", "en_US", "--header-param", "Ana", "--param", "10%",
        "--url-button", "1=SB-1", "--copy-code", "0=SAVE10", "--quick-reply", "2=STOP");
    var comps = r.getTemplate().getComponentsList();
    assertThat(comps).extracting(TemplateComponent::getType).containsExactly(TemplateComponent.Type.HEADER,
        TemplateComponent.Type.BODY, TemplateComponent.Type.BUTTON, TemplateComponent.Type.BUTTON,
        TemplateComponent.Type.BUTTON);
    assertThat(comps.get(0).getParameters(0).getText()).isEqualTo("Ana");
    assertThat(comps.get(2).getSubType()).isEqualTo(TemplateComponent.ButtonSubType.COPY_CODE);
    assertThat(comps.get(2).getParameters(0).getCouponCode()).isEqualTo("SAVE10");
    assertThat(comps.get(3).getIndex()).isEqualTo(1);
    assertThat(comps.get(3).getParameters(0).getText()).isEqualTo("SB-1");
    assertThat(comps.get(4).getParameters(0).getPayload()).isEqualTo("STOP");
  }

  @Test
  void namedHeaderAndBody() {
    SendRequest r = send("--template", "welcome", "--language", "en_US", "--named-header-param", "first_name=Ana",
        "--named-param", "code=X1");
    TemplateParameter h = r.getTemplate().getComponents(0).getParameters(0);
    assertThat(h.getName()).isEqualTo("first_name");
    assertThat(r.getTemplate().getComponents(1).getParameters(0).getName()).isEqualTo("code");
  }

  @Test
  void fallbackTemplate_onText() {
    SendRequest r = send("--text", "hi", "--fallback-template", "order_update", "--fallback-language", "en_US",
        "--fallback-param", "SB-1", "--fallback-param", "shipped");
    assertThat(r.getText().getBody()).isEqualTo("hi");
    assertThat(r.getFallbackTemplate().getName()).isEqualTo("order_update");
    assertThat(r.getFallbackTemplate().getComponents(0).getParametersList()).extracting(TemplateParameter::getText)
        .containsExactly("SB-1", "shipped");
  }

  @Test
  void badCombinations_areUsageErrors() {
    assertThatThrownBy(() -> send("--text", "hi", "--fallback-template", "x"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--fallback-language");
    assertThatThrownBy(() -> send("--template", "a", "--language", "en", "--fallback-template", "x",
        "--fallback-language", "en")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("free-form");
    assertThatThrownBy(() -> send("--template", "a", "--language", "en", "--url-button", "first=x"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--url-button wants INDEX=VALUE");
    assertThatThrownBy(() -> send("--template", "a", "--language", "en", "--url-button", "0=x", "--copy-code", "0=y"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("button 0 is given twice");
    assertThatThrownBy(() -> send("--text", "hi", "--fallback-template", "x", "--fallback-language", "en",
        "--fallback-param", "a", "--fallback-named-param", "b=c")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--fallback-param and --fallback-named-param cannot be combined");
  }
}

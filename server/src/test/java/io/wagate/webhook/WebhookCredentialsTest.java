package io.wagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.config.ConfigException;
import io.wagate.config.WebhookApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void resolve_readsEnvAndFiles() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "file-secret\n");
        Path token = Files.writeString(dir.resolve("token"), " file-token \n");
        var creds = WebhookCredentials.resolve(List.of(
                new WebhookApp("env-app", "APP_SECRET", null, "VERIFY_TOKEN", null),
                new WebhookApp("file-app", null, secret, null, token),
                new WebhookApp("no-token", "APP_SECRET", null, null, null)),
                Map.of("APP_SECRET", "env-secret", "VERIFY_TOKEN", "env-token"));
        assertThat(creds.apps()).extracting(WebhookCredentials.App::name).containsExactly("env-app", "file-app", "no-token");
        assertThat(new String(creds.apps().get(1).appSecret(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("file-secret");
        assertThat(creds.verifyTokenMatches("env-token")).isTrue();
        assertThat(creds.verifyTokenMatches("file-token")).isTrue();
    }

    @Test
    void unsetVariable_namesTheKeyNotAValue() {
        assertThatThrownBy(() -> WebhookCredentials.resolve(
                List.of(new WebhookApp("meta", "APP_SECRET", null, null, null)), Map.of("OTHER", "s3cr3t")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webhook.apps[meta].app_secret_env names APP_SECRET, which is not set in the environment");
        assertThatThrownBy(() -> WebhookCredentials.resolve(
                List.of(new WebhookApp("meta", "APP_SECRET", null, "TOKEN", null)), Map.of("APP_SECRET", "s3cr3t", "TOKEN", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webhook.apps[meta].verify_token_env names TOKEN, which is not set in the environment");
    }

    @Test
    void unreadableOrEmptyFile_namesTheKey() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> WebhookCredentials.resolve(
                List.of(new WebhookApp("meta", null, missing, null, null)), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webhook.apps[meta].app_secret_file " + missing + " cannot be read: NoSuchFileException");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> WebhookCredentials.resolve(
                List.of(new WebhookApp("meta", "S", null, null, empty)), Map.of("S", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webhook.apps[meta].verify_token_file " + empty + " is empty");
    }
}

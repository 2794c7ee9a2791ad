package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One WhatsApp business phone number Wagate sends from.
 *
 * <p>The access token is named, never written here: {@code access_token_env} names an environment
 * variable, {@code access_token_file} a file readable only by the service user (for example one
 * handed over by systemd's {@code LoadCredential=}).
 *
 * @param alias          the name callers use ({@code support}); letters, digits, '-' and '_'
 * @param phoneNumberId  Meta's phone-number id (digits)
 * @param throughput     Meta's throughput for this number in msg/s: 80 by default, up to 1,000
 *                       after Meta's upgrade, 20 for a number shared with the Business app
 * @param wabaId         the WhatsApp Business Account the number belongs to (digits); optional, but
 *                       without it the number's templates cannot be synced or checked
 */
public record NumberConfig(String alias, String phoneNumberId, String accessTokenEnv, Path accessTokenFile,
                           Integer throughput, String wabaId) {

    public static final int DEFAULT_THROUGHPUT = 80;
    public static final int MAX_THROUGHPUT = 1000;

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("\\d{1,32}");

    public NumberConfig {
        check(phoneNumberId != null && PHONE_NUMBER_ID.matcher(phoneNumberId).matches(),
                "numbers[].phone_number_id", "must be Meta's numeric phone-number id", phoneNumberId);
        alias = alias == null ? phoneNumberId : alias;
        check(ALIAS.matcher(alias).matches(), "numbers[].alias",
                "must be 1-64 letters, digits, '-' or '_'", "'" + alias + "'");
        check(accessTokenEnv == null || accessTokenFile == null, "numbers[" + alias + "]",
                "must set only one of access_token_env and access_token_file", "both");
        throughput = throughput == null ? DEFAULT_THROUGHPUT : throughput;
        check(throughput >= 1 && throughput <= MAX_THROUGHPUT, "numbers[" + alias + "].throughput",
                "must be between 1 and " + MAX_THROUGHPUT + " msg/s", throughput);
        check(wabaId == null || PHONE_NUMBER_ID.matcher(wabaId).matches(), "numbers[" + alias + "].waba_id",
                "must be Meta's numeric WhatsApp Business Account id", "'" + wabaId + "'");
    }

    /** A number without a WABA id. */
    public NumberConfig(String alias, String phoneNumberId, String accessTokenEnv, Path accessTokenFile,
                        Integer throughput) {
        this(alias, phoneNumberId, accessTokenEnv, accessTokenFile, throughput, null);
    }

    /** This number in the WhatsApp Business Account {@code waba}. */
    public NumberConfig withWabaId(String waba) {
        return new NumberConfig(alias, phoneNumberId, accessTokenEnv, accessTokenFile, throughput, waba);
    }

    /** A number at Meta's default throughput. */
    public NumberConfig(String alias, String phoneNumberId, String accessTokenEnv, Path accessTokenFile) {
        this(alias, phoneNumberId, accessTokenEnv, accessTokenFile, null);
    }
}

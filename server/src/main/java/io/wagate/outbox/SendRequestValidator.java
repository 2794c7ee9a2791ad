package io.wagate.outbox;

import io.wagate.api.v1.Contact;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.Durations;
import io.wagate.config.NumberConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a {@link SendRequest} against Meta's limits (reference §1.3) and our own before anything
 * is stored, collecting every problem rather than stopping at the first.
 *
 * <p>Stateless and thread-safe.
 */
public final class SendRequestValidator {
    /** E.164: a plus, a non-zero country digit, 7 to 15 digits in all. */
    static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    /** Business-scoped user id, e.g. {@code US.13491208655302741918} or {@code US.ENT.…}. */
    static final Pattern BSUID = Pattern.compile("[A-Z]{2}(\\.ENT)?\\.[A-Za-z0-9]{1,64}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z0-9_]{1,64}");
    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Za-z0-9]{2,4})?");

    static final int MAX_TEXT = 4096;
    static final int MAX_CAPTION = 1024;
    static final int MAX_IDEMPOTENCY_KEY = 128;
    static final int MAX_CALLBACK_DATA = 256;
    static final int MAX_WAMID = 128;

    private final ApplianceConfig config;

    public SendRequestValidator(ApplianceConfig config) {
        this.config = config;
    }

    /** What a valid request resolves to. */
    public record Validated(SendRequest request, NumberConfig number, Duration validity) {
    }

    /** @throws InvalidRequestException listing every violation */
    public Validated validate(SendRequest r) {
        Violations v = new Violations();
        Optional<NumberConfig> number = Optional.empty();
        if (r.getFrom().isEmpty()) {
            v.add("from", "is required: a configured number alias or phone-number id");
        } else {
            number = config.findNumber(r.getFrom());
            if (number.isEmpty()) {
                v.add("from", "unknown sender number '" + clip(r.getFrom()) + "'; configured: "
                        + config.numbers().stream().map(NumberConfig::alias).collect(Collectors.joining(", ")));
            }
        }
        if (r.getTo().isEmpty()) {
            v.add("to", "is required: an E.164 phone number (+16505551234) or a business-scoped user id");
        } else if (!E164.matcher(r.getTo()).matches() && !BSUID.matcher(r.getTo()).matches()) {
            v.add("to", "'" + clip(r.getTo()) + "' is neither an E.164 phone number (+ and 7-15 digits)"
                    + " nor a business-scoped user id (like US.13491208655302741918)");
        }
        v.maxLength("idempotency_key", r.getIdempotencyKey(), MAX_IDEMPOTENCY_KEY);
        v.maxLength("callback_data", r.getCallbackData(), MAX_CALLBACK_DATA);
        v.maxLength("reply_to", r.getReplyTo(), MAX_WAMID);
        Duration validity = config.outbox().defaultValidity();
        if (r.hasValidity()) {
            validity = Duration.ofSeconds(r.getValidity().getSeconds(), r.getValidity().getNanos());
            if (validity.isNegative() || validity.isZero()) {
                v.add("validity", "must be positive");
            } else if (validity.compareTo(config.outbox().maxValidity()) > 0) {
                v.add("validity", "must be at most " + Durations.format(config.outbox().maxValidity())
                        + ", got " + validity.toSeconds() + "s");
            }
        }
        if (r.getPriorityValue() < 0 || r.getPriorityValue() > 3) {
            v.add("priority", "unknown priority " + r.getPriorityValue());
        }
        switch (r.getContentCase()) {
            case TEXT:
                v.length("text.body", r.getText().getBody(), 1, MAX_TEXT);
                break;
            case TEMPLATE:
                template(v, r.getTemplate(), "template");
                break;
            case IMAGE:
                media(v, "image", r.getImage(), true, false);
                break;
            case AUDIO:
                media(v, "audio", r.getAudio(), false, false);
                break;
            case VIDEO:
                media(v, "video", r.getVideo(), true, false);
                break;
            case DOCUMENT:
                media(v, "document", r.getDocument(), true, true);
                break;
            case STICKER:
                media(v, "sticker", r.getSticker(), false, false);
                break;
            case LOCATION:
                double lat = r.getLocation().getLatitude();
                double lon = r.getLocation().getLongitude();
                if (!(lat >= -90 && lat <= 90)) {
                    v.add("location.latitude", "must be between -90 and 90, got " + lat);
                }
                if (!(lon >= -180 && lon <= 180)) {
                    v.add("location.longitude", "must be between -180 and 180, got " + lon);
                }
                v.maxLength("location.name", r.getLocation().getName(), 1000);
                v.maxLength("location.address", r.getLocation().getAddress(), 1000);
                break;
            case CONTACTS:
                contacts(v, r.getContacts().getContactsList());
                break;
            case INTERACTIVE:
                interactive(v, r.getInteractive());
                break;
            case REACTION:
                v.length("reaction.message_id", r.getReaction().getMessageId(), 1, MAX_WAMID);
                v.maxLength("reaction.emoji", r.getReaction().getEmoji(), 16);
                break;
            default:
                v.add("content", "is required: one of text, template, image, audio, video, document, sticker,"
                        + " location, contacts, interactive, reaction");
        }
        if (r.hasFallbackTemplate()) {
            if (r.hasTemplate()) {
                v.add("fallback_template", "applies to free-form messages only; this send is a template");
            } else {
                template(v, r.getFallbackTemplate(), "fallback_template");
            }
        }
        v.throwIfAny();
        return new Validated(r, number.orElseThrow(), validity);
    }

    private static void media(Violations v, String field, Media m, boolean captionAllowed, boolean filenameAllowed) {
        switch (m.getSourceCase()) {
            case ID:
                v.length(field + ".id", m.getId(), 1, 256);
                break;
            case LINK:
                v.httpUrl(field + ".link", m.getLink());
                break;
            case STORED_MEDIA_ID:
                v.length(field + ".stored_media_id", m.getStoredMediaId(), 1, 64); // existence: OutboundMedia.check
                break;
            default:
                v.add(field, "needs a stored media id, a Meta media id or a link");
        }
        if (captionAllowed) {
            v.maxLength(field + ".caption", m.getCaption(), MAX_CAPTION);
        } else if (!m.getCaption().isEmpty()) {
            v.add(field + ".caption", "is not allowed on " + field + " messages");
        }
        if (filenameAllowed) {
            v.maxLength(field + ".filename", m.getFilename(), 240);
        } else if (!m.getFilename().isEmpty()) {
            v.add(field + ".filename", "is only allowed on documents");
        }
    }

    private static void contacts(Violations v, List<Contact> contacts) {
        if (contacts.isEmpty()) {
            v.add("contacts.contacts", "needs at least one contact");
        }
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).getName().getFormattedName().isEmpty()) {
                v.add("contacts.contacts[" + i + "].name.formatted_name", "is required");
            }
        }
    }

    private static void interactive(Violations v, Interactive in) {
        boolean isList = in.getActionCase() == Interactive.ActionCase.LIST;
        v.length("interactive.body", in.getBody(), 1, isList ? MAX_TEXT : 1024);
        v.maxLength("interactive.footer", in.getFooter(), 60);
        if (in.hasHeader()) {
            Interactive.Header h = in.getHeader();
            switch (h.getKindCase()) {
                case TEXT:
                    v.length("interactive.header.text", h.getText(), 1, 60);
                    break;
                case IMAGE:
                case VIDEO:
                case DOCUMENT:
                    if (isList) {
                        v.add("interactive.header", "list messages accept a text header only");
                    } else {
                        Media m = h.getKindCase() == Interactive.Header.KindCase.IMAGE ? h.getImage()
                                : h.getKindCase() == Interactive.Header.KindCase.VIDEO ? h.getVideo() : h.getDocument();
                        media(v, "interactive.header." + h.getKindCase().name().toLowerCase(), m, false,
                                h.getKindCase() == Interactive.Header.KindCase.DOCUMENT);
                    }
                    break;
                default:
                    v.add("interactive.header", "needs text, image, video or document");
            }
        }
        switch (in.getActionCase()) {
            case BUTTONS:
                List<Interactive.ReplyButton> buttons = in.getButtons().getButtonsList();
                if (buttons.isEmpty() || buttons.size() > 3) {
                    v.add("interactive.buttons.buttons", "needs 1 to 3 buttons, got " + buttons.size());
                }
                Set<String> titles = new HashSet<>();
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < buttons.size(); i++) {
                    String f = "interactive.buttons.buttons[" + i + "]";
                    v.length(f + ".title", buttons.get(i).getTitle(), 1, 20);
                    v.length(f + ".id", buttons.get(i).getId(), 1, 256);
                    if (!titles.add(buttons.get(i).getTitle())) {
                        v.add(f + ".title", "must be unique within the message");
                    }
                    if (!ids.add(buttons.get(i).getId())) {
                        v.add(f + ".id", "must be unique within the message");
                    }
                }
                break;
            case LIST:
                list(v, in.getList());
                break;
            case CTA_URL:
                v.length("interactive.cta_url.display_text", in.getCtaUrl().getDisplayText(), 1, 20);
                v.httpUrl("interactive.cta_url.url", in.getCtaUrl().getUrl());
                break;
            default:
                v.add("interactive.action", "is required: buttons, list or cta_url");
        }
    }

    private static void list(Violations v, Interactive.List list) {
        v.length("interactive.list.button", list.getButton(), 1, 20);
        List<Interactive.Section> sections = list.getSectionsList();
        if (sections.isEmpty() || sections.size() > 10) {
            v.add("interactive.list.sections", "needs 1 to 10 sections, got " + sections.size());
        }
        int rows = 0;
        Set<String> rowIds = new HashSet<>();
        for (int s = 0; s < sections.size(); s++) {
            Interactive.Section section = sections.get(s);
            String sf = "interactive.list.sections[" + s + "]";
            if (sections.size() > 1) {
                v.length(sf + ".title", section.getTitle(), 1, 24);
            } else {
                v.maxLength(sf + ".title", section.getTitle(), 24);
            }
            if (section.getRowsCount() == 0) {
                v.add(sf + ".rows", "needs at least one row");
            }
            for (int i = 0; i < section.getRowsCount(); i++) {
                Interactive.Row row = section.getRows(i);
                String rf = sf + ".rows[" + i + "]";
                v.length(rf + ".id", row.getId(), 1, 200);
                v.length(rf + ".title", row.getTitle(), 1, 24);
                v.maxLength(rf + ".description", row.getDescription(), 72);
                if (!rowIds.add(row.getId())) {
                    v.add(rf + ".id", "must be unique within the message");
                }
            }
            rows += section.getRowsCount();
        }
        if (rows > 10) {
            v.add("interactive.list.sections", "at most 10 rows in total across sections, got " + rows);
        }
    }

    private static void template(Violations v, Template t, String field) {
        if (!TEMPLATE_NAME.matcher(t.getName()).matches()) {
            v.add(field + ".name", t.getName().isEmpty() ? "is required"
                    : "must be lower-case letters, digits and underscores, got '" + clip(t.getName()) + "'");
        }
        if (!LANGUAGE.matcher(t.getLanguage()).matches()) {
            v.add(field + ".language", t.getLanguage().isEmpty() ? "is required (for example en_US)"
                    : "'" + clip(t.getLanguage()) + "' is not a language code like en or en_US");
        }
        Set<Boolean> naming = new HashSet<>();
        for (int c = 0; c < t.getComponentsCount(); c++) {
            TemplateComponent comp = t.getComponents(c);
            String cf = field + ".components[" + c + "]";
            if (comp.getType() == TemplateComponent.Type.TYPE_UNSPECIFIED
                    || comp.getType() == TemplateComponent.Type.UNRECOGNIZED) {
                v.add(cf + ".type", "is required: HEADER, BODY or BUTTON");
            }
            if (comp.getType() == TemplateComponent.Type.BUTTON) {
                if (comp.getSubType() == TemplateComponent.ButtonSubType.BUTTON_SUB_TYPE_UNSPECIFIED) {
                    v.add(cf + ".sub_type", "is required on buttons: QUICK_REPLY, URL, COPY_CODE or FLOW");
                }
                if (comp.getIndex() < 0 || comp.getIndex() > 9) {
                    v.add(cf + ".index", "must be 0..9, got " + comp.getIndex());
                }
            }
            for (int p = 0; p < comp.getParametersCount(); p++) {
                TemplateParameter param = comp.getParameters(p);
                String pf = cf + ".parameters[" + p + "]";
                boolean textLike = param.getValueCase() == TemplateParameter.ValueCase.TEXT
                        || param.getValueCase() == TemplateParameter.ValueCase.CURRENCY
                        || param.getValueCase() == TemplateParameter.ValueCase.DATE_TIME;
                if (comp.getType() != TemplateComponent.Type.BUTTON && textLike) {
                    // only text-like placeholders are named; media headers never are
                    naming.add(!param.getName().isEmpty());
                }
                if (!param.getName().isEmpty() && !PARAMETER_NAME.matcher(param.getName()).matches()) {
                    v.add(pf + ".name", "must be lower-case letters, digits and underscores");
                }
                switch (param.getValueCase()) {
                    case TEXT:
                        v.length(pf + ".text", param.getText(), 1, 32_768);
                        break;
                    case CURRENCY:
                        v.length(pf + ".currency.fallback_value", param.getCurrency().getFallbackValue(), 1, 100);
                        if (!CURRENCY_CODE.matcher(param.getCurrency().getCode()).matches()) {
                            v.add(pf + ".currency.code", "must be an ISO 4217 code like USD");
                        }
                        break;
                    case DATE_TIME:
                        v.length(pf + ".date_time.fallback_value", param.getDateTime().getFallbackValue(), 1, 100);
                        break;
                    case IMAGE:
                        media(v, pf + ".image", param.getImage(), false, false);
                        break;
                    case VIDEO:
                        media(v, pf + ".video", param.getVideo(), false, false);
                        break;
                    case DOCUMENT:
                        media(v, pf + ".document", param.getDocument(), false, true);
                        break;
                    case PAYLOAD:
                        v.length(pf + ".payload", param.getPayload(), 1, 256);
                        break;
                    case COUPON_CODE:
                        v.length(pf + ".coupon_code", param.getCouponCode(), 1, 15);
                        break;
                    case LOCATION:
                        if (!(param.getLocation().getLatitude() >= -90 && param.getLocation().getLatitude() <= 90)) {
                            v.add(pf + ".location.latitude", "must be between -90 and 90");
                        }
                        if (!(param.getLocation().getLongitude() >= -180 && param.getLocation().getLongitude() <= 180)) {
                            v.add(pf + ".location.longitude", "must be between -180 and 180");
                        }
                        break;
                    default:
                        v.add(pf, "needs a value: text, currency, date_time, image, video, document, location, payload"
                                + " or coupon_code");
                }
            }
        }
        if (naming.size() > 1) {
            v.add(field + ".components", "mixes named and positional parameters; a template uses one format");
        }
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    /** Collects violations; lengths count Unicode code points, as WhatsApp counts characters. */
    private static final class Violations {
        private final List<FieldViolation> list = new ArrayList<>();

        void add(String field, String description) {
            list.add(new FieldViolation(field, description));
        }

        void length(String field, String value, int min, int max) {
            int n = value.codePointCount(0, value.length());
            if (n < min) {
                add(field, "is required");
            } else if (n > max) {
                add(field, "must be at most " + max + " characters, got " + n);
            }
        }

        void maxLength(String field, String value, int max) {
            length(field, value, 0, max);
        }

        void httpUrl(String field, String value) {
            if (value.isEmpty()) {
                add(field, "is required");
                return;
            }
            try {
                URI uri = new URI(value);
                if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                        || uri.getHost() == null) {
                    add(field, "must be an http(s) URL with a host");
                }
            } catch (URISyntaxException e) {
                add(field, "is not a valid URL: " + e.getReason());
            }
        }

        void throwIfAny() {
            if (!list.isEmpty()) {
                throw new InvalidRequestException(list);
            }
        }
    }
}

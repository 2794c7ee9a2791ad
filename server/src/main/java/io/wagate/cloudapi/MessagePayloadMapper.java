package io.wagate.cloudapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.api.v1.Contact;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.Location;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Reaction;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.api.v1.Text;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the JSON body of {@code POST /{phone-number-id}/messages} (reference §1.1–1.5) from a
 * {@link SendRequest}: the common envelope plus the object of its content type.
 *
 * <p>It maps, it does not validate: requests reach it after the gRPC edge checked them, and the
 * few fields Meta does not allow on a type (a caption on audio, a filename on an image) are left
 * out rather than sent. Empty proto strings mean "not set" and are omitted.
 *
 * <p>Usage: {@code client.sendMessage(numberId, token, mapper.toJson(req, "+16505551234", "wg:42"))}.
 *
 * <p>Stateless; one instance may be shared by any number of threads.
 */
public final class MessagePayloadMapper {

    /** Business-scoped user ids: two uppercase letters, a dot, then more (for example {@code US.ENT.…}). */
    private static final Pattern BSUID = Pattern.compile("^[A-Z]{2}\\.[A-Za-z0-9.]+$");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * The send body for {@code req}.
     *
     * @param req the message; its content must be set
     * @param recipient E.164 phone number (sent as {@code to}) or a business-scoped user id (sent
     *     as {@code recipient})
     * @param bizOpaqueCallbackData echoed by Meta in status webhooks; null or empty to omit
     * @throws IllegalArgumentException if the request has no content
     */
    public ObjectNode toJson(SendRequest req, String recipient, String bizOpaqueCallbackData) {
        if (req.getContentCase() == SendRequest.ContentCase.CONTENT_NOT_SET) {
            throw new IllegalArgumentException("SendRequest has no content");
        }
        ObjectNode root = F.objectNode();
        root.put("messaging_product", "whatsapp");
        root.put("recipient_type", "individual");
        root.put(isBusinessScopedUserId(recipient) ? "recipient" : "to", recipient);
        if (!req.getReplyTo().isEmpty()) {
            root.putObject("context").put("message_id", req.getReplyTo());
        }
        putIfSet(root, "biz_opaque_callback_data", bizOpaqueCallbackData);
        String type = req.getContentCase().name().toLowerCase(Locale.ROOT);
        root.put("type", type);
        switch (req.getContentCase()) {
            case TEXT -> root.set(type, text(req.getText()));
            case TEMPLATE -> root.set(type, template(req.getTemplate()));
            case IMAGE -> root.set(type, media(req.getImage(), true, false));
            case AUDIO -> root.set(type, media(req.getAudio(), false, false));
            case VIDEO -> root.set(type, media(req.getVideo(), true, false));
            case DOCUMENT -> root.set(type, media(req.getDocument(), true, true));
            case STICKER -> root.set(type, media(req.getSticker(), false, false));
            case LOCATION -> root.set(type, location(req.getLocation()));
            case CONTACTS -> root.set(type, contacts(req.getContacts().getContactsList()));
            case INTERACTIVE -> root.set(type, interactive(req.getInteractive()));
            case REACTION -> root.set(type, reaction(req.getReaction()));
            default -> throw new IllegalArgumentException("unsupported content " + req.getContentCase());
        }
        return root;
    }

    /**
     * The mark-read body (reference §1.5), optionally showing the typing indicator.
     *
     * @param wamid the inbound message's id
     * @param typing also show "typing…" to the user (dismissed on reply or after 25 s)
     */
    public ObjectNode markRead(String wamid, boolean typing) {
        ObjectNode root = F.objectNode();
        root.put("messaging_product", "whatsapp");
        root.put("status", "read");
        root.put("message_id", wamid);
        if (typing) {
            root.putObject("typing_indicator").put("type", "text");
        }
        return root;
    }

    /** True for business-scoped user ids ({@code US.1349…}, {@code US.ENT.…}), false for phone numbers. */
    public static boolean isBusinessScopedUserId(String recipient) {
        return recipient != null && BSUID.matcher(recipient).matches();
    }

    private static ObjectNode text(Text t) {
        ObjectNode n = F.objectNode().put("body", t.getBody());
        if (t.getPreviewUrl()) {
            n.put("preview_url", true);
        }
        return n;
    }

    private static ObjectNode media(Media m, boolean captionAllowed, boolean filenameAllowed) {
        ObjectNode n = F.objectNode();
        switch (m.getSourceCase()) {
            case ID -> n.put("id", m.getId());
            case LINK -> n.put("link", m.getLink());
            default -> throw new IllegalArgumentException("media has neither a Meta id nor a link"
                    + " (stored media ids are resolved before mapping)");
        }
        if (captionAllowed) {
            putIfSet(n, "caption", m.getCaption());
        }
        if (filenameAllowed) {
            putIfSet(n, "filename", m.getFilename());
        }
        return n;
    }

    private static ObjectNode location(Location l) {
        ObjectNode n = F.objectNode().put("latitude", l.getLatitude()).put("longitude", l.getLongitude());
        putIfSet(n, "name", l.getName());
        putIfSet(n, "address", l.getAddress());
        return n;
    }

    private static ArrayNode contacts(java.util.List<Contact> contacts) {
        ArrayNode arr = F.arrayNode();
        for (Contact c : contacts) {
            ObjectNode n = arr.addObject();
            Contact.Name name = c.getName();
            ObjectNode nn = n.putObject("name");
            putIfSet(nn, "formatted_name", name.getFormattedName());
            putIfSet(nn, "first_name", name.getFirstName());
            putIfSet(nn, "last_name", name.getLastName());
            putIfSet(nn, "middle_name", name.getMiddleName());
            putIfSet(nn, "prefix", name.getPrefix());
            putIfSet(nn, "suffix", name.getSuffix());
            if (c.getPhonesCount() > 0) {
                ArrayNode phones = n.putArray("phones");
                for (Contact.Phone p : c.getPhonesList()) {
                    ObjectNode pn = phones.addObject();
                    putIfSet(pn, "phone", p.getPhone());
                    putIfSet(pn, "type", p.getType());
                    putIfSet(pn, "wa_id", p.getWaId());
                }
            }
            if (c.getEmailsCount() > 0) {
                ArrayNode emails = n.putArray("emails");
                for (Contact.Email e : c.getEmailsList()) {
                    ObjectNode en = emails.addObject();
                    putIfSet(en, "email", e.getEmail());
                    putIfSet(en, "type", e.getType());
                }
            }
            if (c.getAddressesCount() > 0) {
                ArrayNode addresses = n.putArray("addresses");
                for (Contact.Address a : c.getAddressesList()) {
                    ObjectNode an = addresses.addObject();
                    putIfSet(an, "street", a.getStreet());
                    putIfSet(an, "city", a.getCity());
                    putIfSet(an, "state", a.getState());
                    putIfSet(an, "zip", a.getZip());
                    putIfSet(an, "country", a.getCountry());
                    putIfSet(an, "country_code", a.getCountryCode());
                    putIfSet(an, "type", a.getType());
                }
            }
            if (c.hasOrg()) {
                ObjectNode on = n.putObject("org");
                putIfSet(on, "company", c.getOrg().getCompany());
                putIfSet(on, "department", c.getOrg().getDepartment());
                putIfSet(on, "title", c.getOrg().getTitle());
            }
            if (c.getUrlsCount() > 0) {
                ArrayNode urls = n.putArray("urls");
                for (Contact.Url u : c.getUrlsList()) {
                    ObjectNode un = urls.addObject();
                    putIfSet(un, "url", u.getUrl());
                    putIfSet(un, "type", u.getType());
                }
            }
            putIfSet(n, "birthday", c.getBirthday());
        }
        return arr;
    }

    private static ObjectNode interactive(Interactive i) {
        ObjectNode n = F.objectNode();
        switch (i.getActionCase()) {
            case BUTTONS -> n.put("type", "button");
            case LIST -> n.put("type", "list");
            case CTA_URL -> n.put("type", "cta_url");
            default -> throw new IllegalArgumentException("interactive message has no action");
        }
        if (i.hasHeader()) {
            Interactive.Header h = i.getHeader();
            ObjectNode hn = n.putObject("header");
            switch (h.getKindCase()) {
                case TEXT -> hn.put("type", "text").put("text", h.getText());
                case IMAGE -> hn.put("type", "image").set("image", media(h.getImage(), false, false));
                case VIDEO -> hn.put("type", "video").set("video", media(h.getVideo(), false, false));
                case DOCUMENT -> hn.put("type", "document").set("document", media(h.getDocument(), false, true));
                default -> n.remove("header");
            }
        }
        if (!i.getBody().isEmpty()) {
            n.putObject("body").put("text", i.getBody());
        }
        if (!i.getFooter().isEmpty()) {
            n.putObject("footer").put("text", i.getFooter());
        }
        ObjectNode action = n.putObject("action");
        switch (i.getActionCase()) {
            case BUTTONS -> {
                ArrayNode buttons = action.putArray("buttons");
                for (Interactive.ReplyButton b : i.getButtons().getButtonsList()) {
                    buttons.addObject().put("type", "reply")
                            .putObject("reply").put("id", b.getId()).put("title", b.getTitle());
                }
            }
            case LIST -> {
                action.put("button", i.getList().getButton());
                ArrayNode sections = action.putArray("sections");
                for (Interactive.Section s : i.getList().getSectionsList()) {
                    ObjectNode sn = sections.addObject();
                    putIfSet(sn, "title", s.getTitle());
                    ArrayNode rows = sn.putArray("rows");
                    for (Interactive.Row r : s.getRowsList()) {
                        ObjectNode rn = rows.addObject().put("id", r.getId()).put("title", r.getTitle());
                        putIfSet(rn, "description", r.getDescription());
                    }
                }
            }
            default -> action.put("name", "cta_url").putObject("parameters")
                    .put("display_text", i.getCtaUrl().getDisplayText())
                    .put("url", i.getCtaUrl().getUrl());
        }
        return n;
    }

    private static ObjectNode reaction(Reaction r) {
        // An empty emoji is meaningful (it removes the reaction), so it is always sent.
        return F.objectNode().put("message_id", r.getMessageId()).put("emoji", r.getEmoji());
    }

    private static ObjectNode template(Template t) {
        ObjectNode n = F.objectNode().put("name", t.getName());
        n.putObject("language").put("code", t.getLanguage());
        if (t.getComponentsCount() > 0) {
            ArrayNode comps = n.putArray("components");
            for (TemplateComponent c : t.getComponentsList()) {
                ObjectNode cn = comps.addObject();
                cn.put("type", c.getType().name().toLowerCase(Locale.ROOT));
                if (c.getType() == TemplateComponent.Type.BUTTON) {
                    cn.put("sub_type", c.getSubType().name().toLowerCase(Locale.ROOT));
                    // Meta wants the button index as a string.
                    cn.put("index", Integer.toString(c.getIndex()));
                }
                ArrayNode params = cn.putArray("parameters");
                for (TemplateParameter p : c.getParametersList()) {
                    params.add(templateParameter(p));
                }
            }
        }
        return n;
    }

    private static ObjectNode templateParameter(TemplateParameter p) {
        ObjectNode n = F.objectNode();
        String type = p.getValueCase().name().toLowerCase(Locale.ROOT);
        n.put("type", type);
        putIfSet(n, "parameter_name", p.getName());
        switch (p.getValueCase()) {
            case TEXT -> n.put("text", p.getText());
            case CURRENCY -> n.putObject("currency")
                    .put("fallback_value", p.getCurrency().getFallbackValue())
                    .put("code", p.getCurrency().getCode())
                    .put("amount_1000", p.getCurrency().getAmount1000());
            case DATE_TIME -> n.putObject("date_time").put("fallback_value", p.getDateTime().getFallbackValue());
            case IMAGE -> n.set("image", media(p.getImage(), false, false));
            case VIDEO -> n.set("video", media(p.getVideo(), false, false));
            case DOCUMENT -> n.set("document", media(p.getDocument(), false, true));
            case PAYLOAD -> n.put("payload", p.getPayload());
            case COUPON_CODE -> n.put("coupon_code", p.getCouponCode());
            case LOCATION -> {
                ObjectNode l = n.putObject("location").put("latitude", p.getLocation().getLatitude())
                        .put("longitude", p.getLocation().getLongitude());
                putIfSet(l, "name", p.getLocation().getName());
                putIfSet(l, "address", p.getLocation().getAddress());
            }
            default -> throw new IllegalArgumentException("template parameter has no value");
        }
        return n;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(field, value);
        }
    }
}

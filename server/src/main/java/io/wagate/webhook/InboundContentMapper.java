package io.wagate.webhook;

import io.wagate.api.v1.ButtonReply;
import io.wagate.api.v1.Contact;
import io.wagate.api.v1.InboundContacts;
import io.wagate.api.v1.InboundMedia;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.InboundOrder;
import io.wagate.api.v1.InboundReaction;
import io.wagate.api.v1.InboundText;
import io.wagate.api.v1.InteractiveReply;
import io.wagate.api.v1.Location;
import io.wagate.api.v1.SystemNotice;

/**
 * The content of an inbound message by Meta's {@code type} (reference §4.5): the object named
 * like the type ({@code "image": {...}}) becomes the matching field of
 * {@link InboundMessage}'s {@code content}. Types without content ({@code request_welcome},
 * {@code unsupported}) and types this build does not know set none; {@code raw_json} has it all.
 */
final class InboundContentMapper {

    private InboundContentMapper() {
    }

    static void map(String type, JsonCursor m, InboundMessage.Builder b) {
        switch (type) {
            case "text" -> m.object("text").ifPresent(t -> b.setText(InboundText.newBuilder().setBody(t.text("body"))));
            case "image", "audio", "video", "document", "sticker" -> m.object(type).ifPresent(o -> b.setMedia(media(o)));
            case "location" -> m.object("location").ifPresent(l -> b.setLocation(Location.newBuilder()
                    .setLatitude(l.number("latitude"))
                    .setLongitude(l.number("longitude"))
                    .setName(l.text("name"))
                    .setAddress(l.text("address"))));
            case "contacts" -> b.setContacts(contacts(m));
            case "interactive" -> m.object("interactive").ifPresent(i -> b.setInteractive(interactive(i)));
            case "button" -> m.object("button").ifPresent(o -> b.setButton(ButtonReply.newBuilder()
                    .setPayload(o.text("payload"))
                    .setText(o.text("text"))));
            case "reaction" -> m.object("reaction").ifPresent(r -> b.setReaction(InboundReaction.newBuilder()
                    .setMessageId(r.text("message_id"))
                    .setEmoji(r.text("emoji"))));
            case "order" -> m.object("order").ifPresent(o -> b.setOrder(InboundOrder.newBuilder()
                    .setCatalogId(o.text("catalog_id"))
                    .setText(o.text("text"))
                    .setProductItemsJson(json(o.field("product_items")))));
            case "system" -> m.object("system").ifPresent(s -> b.setSystem(system(s)));
            default -> {
                // request_welcome, unsupported, and types Meta adds later: type and raw_json only
            }
        }
    }

    private static InboundMedia media(JsonCursor o) {
        return InboundMedia.newBuilder()
                .setMetaMediaId(o.text("id"))
                .setMimeType(o.text("mime_type"))
                .setSha256(o.text("sha256"))
                .setCaption(o.text("caption"))
                .setFilename(o.text("filename"))
                .setVoice(o.bool("voice"))
                .setAnimated(o.bool("animated"))
                .setUrl(o.text("url"))
                .build();
    }

    private static InboundContacts contacts(JsonCursor m) {
        InboundContacts.Builder out = InboundContacts.newBuilder();
        for (JsonCursor c : m.objects("contacts")) {
            Contact.Builder b = Contact.newBuilder().setBirthday(c.text("birthday"));
            c.object("name").ifPresent(n -> b.setName(Contact.Name.newBuilder()
                    .setFormattedName(n.text("formatted_name"))
                    .setFirstName(n.text("first_name"))
                    .setLastName(n.text("last_name"))
                    .setMiddleName(n.text("middle_name"))
                    .setPrefix(n.text("prefix"))
                    .setSuffix(n.text("suffix"))));
            for (JsonCursor p : c.objects("phones")) {
                b.addPhones(Contact.Phone.newBuilder()
                        .setPhone(p.text("phone")).setType(p.text("type")).setWaId(p.text("wa_id")));
            }
            for (JsonCursor e : c.objects("emails")) {
                b.addEmails(Contact.Email.newBuilder().setEmail(e.text("email")).setType(e.text("type")));
            }
            for (JsonCursor a : c.objects("addresses")) {
                b.addAddresses(Contact.Address.newBuilder()
                        .setStreet(a.text("street")).setCity(a.text("city")).setState(a.text("state"))
                        .setZip(a.text("zip")).setCountry(a.text("country"))
                        .setCountryCode(a.text("country_code")).setType(a.text("type")));
            }
            c.object("org").ifPresent(o -> b.setOrg(Contact.Org.newBuilder()
                    .setCompany(o.text("company")).setDepartment(o.text("department")).setTitle(o.text("title"))));
            for (JsonCursor u : c.objects("urls")) {
                b.addUrls(Contact.Url.newBuilder().setUrl(u.text("url")).setType(u.text("type")));
            }
            out.addContacts(b);
        }
        return out.build();
    }

    /** button_reply and list_reply carry the chosen id; nfm_reply (Flows) carries a response. */
    private static InteractiveReply interactive(JsonCursor i) {
        String kind = i.text("type");
        InteractiveReply.Builder b = InteractiveReply.newBuilder().setType(kind);
        if (kind.isEmpty()) {
            return b.build();
        }
        i.object(kind).ifPresent(r -> {
            if ("nfm_reply".equals(kind)) {
                JsonCursor response = r.field("response_json");
                b.setId(r.text("name"))
                        .setTitle(r.text("body"))
                        .setResponseJson(response.present() && response.node().isTextual()
                                ? response.node().textValue() : json(response));
            } else {
                b.setId(r.text("id")).setTitle(r.text("title")).setDescription(r.text("description"));
            }
        });
        return b.build();
    }

    private static SystemNotice system(JsonCursor s) {
        String newWaId = s.text("new_wa_id");
        return SystemNotice.newBuilder()
                .setType(s.text("type"))
                .setBody(s.text("body"))
                .setNewWaId(newWaId.isEmpty() ? s.text("wa_id") : newWaId)
                .setNewUserId(s.text("new_user_id"))
                .build();
    }

    private static String json(JsonCursor c) {
        return c.present() ? WebhookJson.compact(c.node()) : "";
    }
}

package io.wagate.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.InjectInboundRequest;
import io.wagate.api.v1.InjectInboundResponse;
import io.wagate.api.v1.SandboxGrpc;
import io.wagate.api.v1.SetMarketingPreferenceRequest;
import io.wagate.api.v1.SetMarketingPreferenceResponse;
import io.wagate.api.v1.SetTemplateStatusRequest;
import io.wagate.api.v1.SetTemplateStatusResponse;
import io.wagate.sandbox.SandboxTemplate;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.SandboxEmulator;
import java.io.IOException;
import java.util.Locale;

/**
 * The {@code wagate.v1.Sandbox} service: plays a user's phone against the sandbox emulator.
 * Registered only in sandbox mode. The request's field names are Meta's, so it is read as the JSON
 * of {@code POST /_sandbox/inbound} and checked in one place ({@link InboundSpec#fromJson}).
 *
 * <p>Thread-safe.
 */
public final class SandboxService extends SandboxGrpc.SandboxImplBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private final SandboxEmulator emulator;

    public SandboxService(SandboxEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public void injectInbound(InjectInboundRequest request, StreamObserver<InjectInboundResponse> out) {
        if (request.getContentCase() == InjectInboundRequest.ContentCase.CONTENT_NOT_SET) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("content must be set: text, image, audio, video,"
                    + " document, sticker, location, contacts, interactive, button, reaction, order, system,"
                    + " request_welcome or unsupported").asRuntimeException());
            return;
        }
        String wamid;
        try {
            wamid = emulator.injectInbound(InboundSpec.fromJson(json(request)));
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (IllegalStateException e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
            return;
        }
        out.onNext(InjectInboundResponse.newBuilder().setWamid(wamid).build());
        out.onCompleted();
    }

    @Override
    public void setTemplateStatus(SetTemplateStatusRequest request, StreamObserver<SetTemplateStatusResponse> out) {
        String waba = request.getWabaId().isEmpty() ? null : request.getWabaId();
        if (request.getStatus().isEmpty() && request.getCategory().isEmpty()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("status or category must be set: what changes")
                    .asRuntimeException());
            return;
        }
        boolean exists = emulator.templates().list().stream().anyMatch(t -> (waba == null || t.wabaId().equals(waba))
                && t.name().equals(request.getName()) && t.language().equals(request.getLanguage()));
        if (!exists) {
            out.onError(Status.NOT_FOUND.withDescription("no template " + request.getName() + " ("
                    + request.getLanguage() + ")" + (waba == null ? "" : " in WABA " + waba)).asRuntimeException());
            return;
        }
        if (!request.getCategory().isEmpty()
                && !SandboxTemplate.CATEGORIES.contains(request.getCategory().toUpperCase(Locale.ROOT))) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("category must be MARKETING, UTILITY or AUTHENTICATION,"
                    + " got " + request.getCategory()).asRuntimeException());
            return;
        }
        SandboxTemplate t = null;
        try {
            if (!request.getStatus().isEmpty()) {
                t = emulator.templates().setStatus(waba, request.getName(), request.getLanguage(), request.getStatus(),
                        request.getReason().isEmpty() ? null : request.getReason());
            }
            if (!request.getCategory().isEmpty()) {
                t = emulator.templates().setCategory(waba, request.getName(), request.getLanguage(),
                        request.getCategory());
            }
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(SetTemplateStatusResponse.newBuilder().setId(t.id()).setName(t.name()).setLanguage(t.language())
                .setStatus(t.status()).setCategory(t.category()).setWabaId(t.wabaId()).build());
        out.onCompleted();
    }

    @Override
    public void setMarketingPreference(SetMarketingPreferenceRequest request,
                                       StreamObserver<SetMarketingPreferenceResponse> out) {
        String number = request.getPhoneNumberId().isEmpty() ? null : request.getPhoneNumberId();
        try {
            switch (request.getValue()) {
                case "stop" -> emulator.policy().stopMarketing(number, request.getUser());
                case "resume" -> emulator.policy().resumeMarketing(number, request.getUser());
                default -> throw new IllegalArgumentException("value must be stop or resume, got '" + request.getValue()
                        + "'");
            }
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(SetMarketingPreferenceResponse.newBuilder()
                .setUser(request.getUser().chars().anyMatch(Character::isLetter) ? request.getUser()
                        : request.getUser().replaceAll("[^0-9]", ""))
                .setValue(request.getValue()).build());
        out.onCompleted();
    }

    /** The request as the control API's JSON: the oneof's name is the type; contacts are an array. */
    static JsonNode json(InjectInboundRequest request) {
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(PRINTER.print(request));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new IllegalArgumentException("request cannot be read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("request JSON cannot be parsed", e);
        }
        String type = request.getContentCase().name().toLowerCase(Locale.ROOT);
        body.put("type", type);
        if (!body.has(type)) { // an empty message prints as nothing
            body.putObject(type);
        }
        if (type.equals("location")) { // 0 is a coordinate (the equator), omitted as a default
            ObjectNode l = (ObjectNode) body.get("location");
            if (!l.has("latitude")) {
                l.put("latitude", 0.0);
            }
            if (!l.has("longitude")) {
                l.put("longitude", 0.0);
            }
        }
        JsonNode media = body.path(type);
        if (media.has("content")) { // the file's bytes go where the control API takes them
            ObjectNode m = body.putObject("media").put("base64", media.get("content").asText());
            if (media.has("mime_type")) {
                m.put("mime_type", media.get("mime_type").asText());
            }
            ((ObjectNode) media).remove("content");
        }
        if (type.equals("contacts")) {
            body.set("contacts", body.path("contacts").path("contacts"));
        }
        return body;
    }
}

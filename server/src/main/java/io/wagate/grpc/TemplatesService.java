package io.wagate.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.CreateTemplateRequest;
import io.wagate.api.v1.DeleteTemplateRequest;
import io.wagate.api.v1.DeleteTemplateResponse;
import io.wagate.api.v1.GetTemplateRequest;
import io.wagate.api.v1.GetTemplateResponse;
import io.wagate.api.v1.ListTemplatesRequest;
import io.wagate.api.v1.ListTemplatesResponse;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.api.v1.SyncTemplatesRequest;
import io.wagate.api.v1.SyncTemplatesResponse;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.cloudapi.SendResult;
import io.wagate.cloudapi.TemplateResult;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.outbox.FieldViolation;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.policy.CatalogueEntry;
import io.wagate.policy.TemplateCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code wagate.v1.Templates} service: the template catalogue ({@link TemplateCatalogue}) and
 * template creation and deletion at Meta.
 *
 * <p>A request names a number (alias or phone-number id) to pick its WhatsApp Business Account;
 * an empty number means every WABA (List, Sync) or the only one configured (Get, Create, Delete).
 *
 * <p>Threading: handlers answer from the catalogue's thread or the gRPC executor; stateless.
 */
public final class TemplatesService extends TemplatesGrpc.TemplatesImplBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Za-z]{2,4})?");
    private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    private static final Set<String> FORMATS = Set.of("POSITIONAL", "NAMED");

    private final ApplianceConfig config;
    private final TemplateCatalogue catalogue;

    public TemplatesService(ApplianceConfig config, TemplateCatalogue catalogue) {
        this.config = config;
        this.catalogue = catalogue;
    }

    @Override
    public void list(ListTemplatesRequest r, StreamObserver<ListTemplatesResponse> out) {
        try {
            String waba = r.getNumber().isEmpty() ? null : waba(r.getNumber(), "number");
            ListTemplatesResponse.Builder b = ListTemplatesResponse.newBuilder();
            for (CatalogueEntry e : catalogue.list(waba)) {
                MessageTemplate t = e.template();
                if (matches(r.getName(), t.getName()) && matchesIgnoreCase(r.getStatus(), t.getStatus())
                        && matchesIgnoreCase(r.getCategory(), t.getCategory()) && matches(r.getLanguage(), t.getLanguage())) {
                    b.addTemplates(t);
                }
            }
            for (String w : new TreeSet<>(catalogue.wabas())) {
                if (waba == null || waba.equals(w)) {
                    b.addCatalogues(catalogue.status(w));
                }
            }
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void get(GetTemplateRequest r, StreamObserver<GetTemplateResponse> out) {
        try {
            String waba = waba(r.getNumber(), "number");
            if (r.getName().isEmpty()) {
                throw InvalidRequestException.of("name", "is required");
            }
            GetTemplateResponse.Builder b = GetTemplateResponse.newBuilder();
            new TreeSet<>(catalogue.versions(waba, r.getName()).orElse(java.util.Map.of()).keySet()).forEach(lang -> {
                if (matches(r.getLanguage(), lang)) {
                    b.addTemplates(catalogue.versions(waba, r.getName()).orElseThrow().get(lang).template());
                }
            });
            if (b.getTemplatesCount() == 0) {
                throw Status.NOT_FOUND.withDescription("no template '" + r.getName() + "'"
                        + (r.getLanguage().isEmpty() ? "" : " in " + r.getLanguage()) + " in the catalogue of WABA "
                        + waba).asRuntimeException();
            }
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void sync(SyncTemplatesRequest r, StreamObserver<SyncTemplatesResponse> out) {
        try {
            String waba = r.getNumber().isEmpty() ? null : waba(r.getNumber(), "number");
            if (catalogue.wabas().isEmpty()) {
                throw Status.FAILED_PRECONDITION.withDescription("no configured number has a waba_id (and an access"
                        + " token): there are no templates to sync").asRuntimeException();
            }
            catalogue.sync(waba).whenComplete((results, err) -> {
                if (err != null) {
                    out.onError(status(err));
                } else {
                    out.onNext(SyncTemplatesResponse.newBuilder().addAllResults(results).build());
                    out.onCompleted();
                }
            });
        } catch (RuntimeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void create(CreateTemplateRequest r, StreamObserver<MessageTemplate> out) {
        try {
            String waba = waba(r.getNumber(), "number");
            ObjectNode body = creation(r);
            catalogue.create(waba, body).whenComplete((result, err) -> {
                if (err != null) {
                    out.onError(status(err));
                } else if (result instanceof MessageTemplate t) {
                    out.onNext(t);
                    out.onCompleted();
                } else {
                    out.onError(refused((TemplateResult.Failed) result));
                }
            });
        } catch (RuntimeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void delete(DeleteTemplateRequest r, StreamObserver<DeleteTemplateResponse> out) {
        try {
            String waba = waba(r.getNumber(), "number");
            if (r.getName().isEmpty()) {
                throw InvalidRequestException.of("name", "is required");
            }
            java.util.concurrent.CompletableFuture<Object> f;
            try {
                f = catalogue.delete(waba, r.getName(), r.getLanguage());
            } catch (java.util.NoSuchElementException notInCatalogue) {
                throw Status.NOT_FOUND.withDescription(notInCatalogue.getMessage()).asRuntimeException();
            }
            f.whenComplete((result, err) -> {
                if (err != null) {
                    out.onError(status(err));
                } else if (result instanceof List<?> removed) {
                    DeleteTemplateResponse.Builder b = DeleteTemplateResponse.newBuilder();
                    removed.forEach(k -> b.addDeleted(k.toString()));
                    out.onNext(b.build());
                    out.onCompleted();
                } else {
                    out.onError(refused((TemplateResult.Failed) result));
                }
            });
        } catch (RuntimeException e) {
            out.onError(status(e));
        }
    }

    /** Meta's creation body from the request, or every problem with it as INVALID_ARGUMENT. */
    private static ObjectNode creation(CreateTemplateRequest r) {
        List<FieldViolation> v = new ArrayList<>();
        if (!NAME.matcher(r.getName()).matches()) {
            v.add(new FieldViolation("name", r.getName().isEmpty() ? "is required"
                    : "must be 1-512 lower-case letters, digits and underscores, got '" + r.getName() + "'"));
        }
        if (!LANGUAGE.matcher(r.getLanguage()).matches()) {
            v.add(new FieldViolation("language", r.getLanguage().isEmpty() ? "is required (for example en_US)"
                    : "'" + r.getLanguage() + "' is not a language code like en or en_US"));
        }
        String category = r.getCategory().toUpperCase(Locale.ROOT);
        if (!CATEGORIES.contains(category)) {
            v.add(new FieldViolation("category", r.getCategory().isEmpty() ? "is required: MARKETING, UTILITY or"
                    + " AUTHENTICATION" : "must be MARKETING, UTILITY or AUTHENTICATION, got '" + r.getCategory() + "'"));
        }
        String format = r.getParameterFormat().isEmpty() ? "POSITIONAL" : r.getParameterFormat().toUpperCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            v.add(new FieldViolation("parameter_format", "must be POSITIONAL or NAMED, got '"
                    + r.getParameterFormat() + "'"));
        }
        JsonNode components = null;
        try {
            components = r.getComponentsJson().isEmpty() ? null : JSON.readTree(r.getComponentsJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            v.add(new FieldViolation("components_json", "is not JSON: " + e.getOriginalMessage()));
        }
        if (components == null && r.getComponentsJson().isEmpty()) {
            v.add(new FieldViolation("components_json", "is required: Meta's components array with a BODY"));
        } else if (components != null) {
            if (!components.isArray()) {
                v.add(new FieldViolation("components_json", "must be a JSON array of components"));
            } else {
                int bodies = 0;
                for (int i = 0; i < components.size(); i++) {
                    JsonNode c = components.get(i);
                    String type = c.path("type").asText("").toUpperCase(Locale.ROOT);
                    if (!Set.of("HEADER", "BODY", "FOOTER", "BUTTONS").contains(type)) {
                        v.add(new FieldViolation("components_json[" + i + "].type",
                                "must be HEADER, BODY, FOOTER or BUTTONS, got '" + c.path("type").asText("") + "'"));
                    }
                    if (type.equals("BODY")) {
                        bodies++;
                        if (c.path("text").asText("").isEmpty()) {
                            v.add(new FieldViolation("components_json[" + i + "].text", "is required on the BODY"));
                        }
                    }
                }
                if (bodies != 1) {
                    v.add(new FieldViolation("components_json", "must have exactly one BODY, has " + bodies));
                }
            }
        }
        if (!v.isEmpty()) {
            throw new InvalidRequestException(v);
        }
        ObjectNode body = JSON.createObjectNode()
                .put("name", r.getName())
                .put("language", r.getLanguage())
                .put("category", category)
                .put("parameter_format", format);
        body.set("components", (ArrayNode) components);
        return body;
    }

    /** The WABA of the named number; an empty name picks the only WABA configured. */
    private String waba(String number, String field) {
        if (number.isEmpty()) {
            Set<String> wabas = catalogue.wabas();
            if (wabas.size() != 1) {
                throw InvalidRequestException.of(field, wabas.isEmpty()
                        ? "no configured number has a waba_id: set numbers[].waba_id"
                        : "is required: the numbers are in " + wabas.size() + " business accounts");
            }
            return wabas.iterator().next();
        }
        NumberConfig n = config.findNumber(number).orElseThrow(() -> InvalidRequestException.of(field,
                "unknown number '" + number + "'"));
        if (n.wabaId() == null) {
            throw InvalidRequestException.of(field, "number " + n.alias() + " has no waba_id configured"
                    + " (numbers[" + n.alias() + "].waba_id)");
        }
        return n.wabaId();
    }

    /** Our errors as gRPC statuses; a WABA without a token is FAILED_PRECONDITION. */
    private static io.grpc.StatusRuntimeException status(Throwable t) {
        Throwable e = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof IllegalStateException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
        return ErrorMapper.toStatus(e);
    }

    private static boolean matches(String filter, String value) {
        return filter.isEmpty() || filter.equals(value);
    }

    private static boolean matchesIgnoreCase(String filter, String value) {
        return filter.isEmpty() || filter.equalsIgnoreCase(value);
    }

    /** Meta refused or could not be reached: FAILED_PRECONDITION or INVALID_ARGUMENT, or UNAVAILABLE. */
    private static io.grpc.StatusRuntimeException refused(TemplateResult.Failed f) {
        if (!(f.failure() instanceof SendResult.MetaError e)) {
            return Status.UNAVAILABLE.withDescription(f.describe()).asRuntimeException();
        }
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason("META_" + e.code())
                .setDomain("graph.facebook.com")
                .putMetadata("code", String.valueOf(e.code()))
                .putMetadata("title", e.title() == null ? "" : e.title())
                .putMetadata("details", e.details() == null ? "" : e.details())
                .putMetadata("retryable", String.valueOf(e.retryClass().retryable()))
                .build();
        int code = e.code() == 100 || e.httpStatus() == 400 ? Code.INVALID_ARGUMENT_VALUE
                : e.retryClass().retryable() ? Code.UNAVAILABLE_VALUE : Code.FAILED_PRECONDITION_VALUE;
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code)
                .setMessage(f.describe())
                .addDetails(Any.pack(info))
                .build());
    }
}

package io.kinline.admin.api;

import io.kinline.admin.Role;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.Block;
import io.kinline.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Blocks on destination numbers. Blocks are lifted, never deleted, so who set and who lifted them stays
 * on record. Customer service may set and lift only keypad blocks (the ones families set themselves).
 */
final class BlockEndpoints {

    private final Store store;
    private final Audit audit;
    private final Clock clock;

    BlockEndpoints(Store store, Audit audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    void register(Router r) {
        r.add("GET", "/api/blocks", Roles.ALL, this::list);
        r.add("POST", "/api/blocks", Roles.ALL, this::create);
        r.add("DELETE", "/api/blocks/{number}", Roles.ALL, this::lift);
    }

    /** Blocks of every facility are seen by all; a facility's only by tokens that see the facility. */
    private static boolean visible(ApiRequest req, Block b) {
        return b.facilityId() == null || req.principal().sees(b.facilityId());
    }

    private static Block.Type type(String field, String v) {
        return Block.Type.valueOf(Inputs.oneOf(field, v, "keypad", "facility", "security", "no_contact", "account")
                .toUpperCase(Locale.ROOT));
    }

    private ApiResponse list(ApiRequest req) {
        String number = req.query("number").map(n -> NumberInput.e164("number", n)).orElse(null);
        String facility = req.query("facility").orElse(null);
        String inmate = req.query("inmate").orElse(null);
        boolean all = req.query("all").map(v -> {
            if (!v.equals("true") && !v.equals("false")) {
                throw ApiException.validation("all", "all must be true or false");
            }
            return Boolean.parseBoolean(v);
        }).orElse(false);
        List<Map<String, Object>> out = new ArrayList<>();
        store.blocks().list(number, facility, inmate, !all).stream().filter(b -> visible(req, b))
                .forEach(b -> out.add(Views.block(b)));
        return ApiResponse.ok(Map.of("blocks", out));
    }

    private ApiResponse create(ApiRequest req) {
        JsonBody b = req.json();
        String number = NumberInput.e164("number", b.requiredText("number"));
        Block.Type type = type("type", b.requiredText("type"));
        String note = b.optionalText("note", 1000).orElse(null);
        String facility = b.optionalText("facility").orElse(null);
        String inmate = b.optionalText("inmate").orElse(null);
        b.finish();
        if (req.principal().role() == Role.CUSTOMER_SERVICE && type != Block.Type.KEYPAD) {
            throw ApiException.forbidden("customer service may set only keypad blocks");
        }
        if (type == Block.Type.FACILITY && note == null) {
            throw ApiException.validation("note", "note (the reason) is required for a facility block");
        }
        if (type == Block.Type.NO_CONTACT && inmate == null) {
            throw ApiException.validation("inmate", "inmate is required for a no_contact block");
        }
        if (facility == null && type != Block.Type.KEYPAD) {
            Scope.requireUnscoped(req, "set a block for every facility (give \"facility\")");
        }
        Block saved = Tx.run(store, () -> {
            if (facility != null && (!req.principal().sees(facility) || store.facilities().get(facility).isEmpty())) {
                throw ApiException.unknownReference("facility", "no facility " + facility);
            }
            if (inmate != null && store.inmates().get(inmate).filter(i -> req.principal().sees(i.facilityId())).isEmpty()) {
                throw ApiException.unknownReference("inmate", "no inmate " + inmate);
            }
            boolean dup = store.blocks().list(number, facility, inmate, true).stream()
                    .anyMatch(x -> x.type() == type && Objects.equals(x.facilityId(), facility)
                            && Objects.equals(x.inmateId(), inmate));
            if (dup) {
                throw ApiException.conflict("number", "an active " + Views.wire(type) + " block on " + number
                        + " already exists");
            }
            Block s = StoreErrors.call("number", "block exists", () -> store.blocks().add(
                    Block.of(number, facility, type, inmate, req.principal().actor(), clock.instant(), note)));
            audit.record(req.principal(), "block.set", "number:" + number, Views.block(s));
            return s;
        });
        return ApiResponse.created(Views.block(saved), "/api/blocks?number=" + saved.number().replace("+", "%2B"));
    }

    /**
     * Lifts the active blocks on a number, optionally only those of {@code ?type=}, {@code ?facility=},
     * {@code ?inmate=}. For customer service without a type, only keypad blocks are lifted; asking to lift
     * any other type is 403.
     */
    private ApiResponse lift(ApiRequest req) {
        String number = NumberInput.e164("number", req.pathParam("number"));
        Block.Type only = req.query("type").map(t -> type("type", t)).orElse(null);
        String facility = req.query("facility").orElse(null);
        String inmate = req.query("inmate").orElse(null);
        // Why it is lifted (the console asks for it): kept in the audit line.
        String reason = req.query("reason").map(v -> Inputs.text("reason", v, 500)).orElse(null);
        boolean cs = req.principal().role() == Role.CUSTOMER_SERVICE;
        if (cs && only != null && only != Block.Type.KEYPAD) {
            throw ApiException.forbidden("customer service may lift only keypad blocks");
        }
        List<Block> lifted = Tx.run(store, () -> {
            List<Block> active = store.blocks().list(number, facility, inmate, true).stream()
                    .filter(b -> visible(req, b)).toList();
            if (active.isEmpty()) {
                throw ApiException.notFound("no active block on " + number);
            }
            List<Block> targets = new ArrayList<>();
            boolean everyFacility = false;
            for (Block bl : active) {
                if (only != null && bl.type() != only) {
                    continue;
                }
                if (cs && bl.type() != Block.Type.KEYPAD) {
                    continue;
                }
                if (req.principal().scoped() && bl.facilityId() == null && bl.type() != Block.Type.KEYPAD) {
                    everyFacility = true; // a block of every facility: an unscoped token's to lift
                    continue;
                }
                targets.add(bl);
            }
            if (targets.isEmpty()) {
                if (everyFacility) {
                    throw ApiException.forbidden("the active blocks on " + number
                            + " apply to every facility; a token limited to facilities may not lift them");
                }
                if (cs) {
                    throw ApiException.forbidden("the active blocks on " + number
                            + " are not keypad blocks; customer service may lift only keypad blocks");
                }
                throw ApiException.notFound("no active " + Views.wire(only) + " block on " + number);
            }
            Instant now = clock.instant();
            List<Block> out = new ArrayList<>();
            for (Block t : targets) {
                store.blocks().lift(t.id(), req.principal().actor(), now).ifPresent(out::add);
            }
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("blocks", out.stream().map(x -> x.id() + ":" + Views.wire(x.type())).toList());
            if (reason != null) {
                details.put("reason", reason);
            }
            audit.record(req.principal(), "block.lift", "number:" + number, details);
            return out;
        });
        List<Map<String, Object>> view = new ArrayList<>();
        lifted.forEach(x -> view.add(Views.block(x)));
        return ApiResponse.ok(Map.of("lifted", view));
    }
}
